/**
 * After a hang, finds the request that froze the runtime and marks its version as hung, directly in
 * the supervisors' SQLite files (the runtime is down, so nothing else has them open).
 *
 * Every supervisor records the request it starts last in its `last_request` row, before the app runs
 * it. A frozen runtime starts nothing after the request that froze it, so the latest of these rows
 * across projects is the culprit; every other project is left alone.
 *
 * Not every freeze starts with a request the supervisor sees: a WebSocket message goes straight to
 * the app. Then the latest row belongs to an earlier, innocent request, possibly of another project.
 * A request that froze the runtime started shortly before the launcher noticed (health checks
 * every second, two misses), so a row older than `windowMs` is not blamed: better to mark nothing,
 * and say so, than to stop an innocent app.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { HANG_SQL } from "../server/supervisor/tables.mjs";

export function markHungRequests(dataDir, { detectedAt = Date.now(), windowMs = 20_000 } = {}) {
  const dir = join(dataDir, "v3", "do", "facet-ide-ProjectSupervisor");
  if (!existsSync(dir)) return [];
  // Supervisor databases are `<id>.sqlite`; a facet's is `<id>.<n>.sqlite`.
  const files = readdirSync(dir).filter((f) => /^[0-9a-f]+\.sqlite$/.test(f));
  let culprit = null;
  const open = [];
  for (const file of files) {
    const db = new DatabaseSync(join(dir, file));
    open.push(db);
    if (!db.prepare(HANG_SQL.hasLastRequest).get()) continue;
    const row = db.prepare(HANG_SQL.lastRequest).get();
    if (row && (!culprit || row.started_at > culprit.row.started_at)) culprit = { db, row };
  }
  const lines = [];
  if (culprit && culprit.row.started_at < detectedAt - windowMs) {
    lines.push(
      `could not tell which app froze the runtime (the last request, ${culprit.row.method} ${culprit.row.path}, started ${Math.round((detectedAt - culprit.row.started_at) / 1000)} s earlier; a WebSocket message handler?); no version was marked`,
    );
    culprit = null;
  }
  if (culprit) {
    const { db, row } = culprit;
    const detail = `${row.method} ${row.path} started ${new Date(row.started_at).toISOString()}`;
    const project = db.prepare(HANG_SQL.projectId).get();
    db.prepare(HANG_SQL.markHung).run(row.version, detail);
    const entry = {
      kind: "system",
      level: "error",
      at: Date.now(),
      version: row.version,
      message: `v${row.version} froze the runtime on ${row.method} ${row.path}; the runtime was restarted and v${row.version} will not run again. Save a new version to continue.`,
    };
    db.prepare(HANG_SQL.appendLog).run(JSON.stringify(entry));
    lines.push(
      `project ${project?.id}: v${row.version} froze the runtime on ${row.method} ${row.path}; it will not run again until a new version is saved`,
    );
  }
  for (const db of open) {
    if (db.prepare(HANG_SQL.hasLastRequest).get()) db.exec(HANG_SQL.clearLastRequest);
    db.close();
  }
  return lines;
}
