// 7. What a data snapshot adds to save to live: the same project saved with snapshots on (every
// save copies the app's database, ctx.facets.clone) and off (the project's maxVersions set to 0),
// interleaved, at each database size. On ext4 and tmpfs a clone is a full file copy.
import { appSource } from "../client.mjs";
import { summarize } from "../stats.mjs";
import { oneSave, supervisorSaver } from "./saves.mjs";

/** Grows the app's database to about `mib` MiB with 1 MiB random blobs, in one statement. */
async function fill(project, mib) {
  await project.sql("CREATE TABLE IF NOT EXISTS pad (b BLOB)");
  await project.sql(
    "INSERT INTO pad WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT randomblob(1048576 - 64) FROM n",
    [mib],
  );
}

/** Snapshots on (the default retention: 20 versions within 200 MiB) or off. */
function setSnapshots(project, maxVersions) {
  return project.snapshotSettings({ maxVersions });
}

/**
 * @param {(name: string) => Promise<import("../client.mjs").Project>} createProject
 * @param {{ sizesMiB: number[], count: number, warmup: number, firstRev: number }} opts
 */
export async function snapshotCost(createProject, { sizesMiB, count, warmup, firstRev }) {
  const results = {};
  let rev = firstRev;
  for (const mib of sizesMiB) {
    const project = await createProject(`bench-snapshot-${mib}`);
    await project.save(appSource(rev++));
    await fill(project, mib);
    const status = await project.snapshots();
    const saver = supervisorSaver(project);
    const samples = { on: [], off: [] };
    for (let i = 0; i < warmup + count; i++) {
      for (const mode of i % 2 ? ["off", "on"] : ["on", "off"]) {
        await setSnapshots(project, mode === "on" ? 20 : 0);
        const sample = await oneSave(saver, rev++);
        if (i >= warmup) samples[mode].push(sample);
      }
    }
    // One more save with snapshots on, to see what retention keeps at this size.
    await setSnapshots(project, 20);
    await oneSave(saver, rev++);
    const after = await project.snapshots();
    results[`${mib}MiB`] = {
      databaseBytes: status.liveBytes,
      snapshotsKept: after.count,
      snapshotBytes: after.bytes,
      on: { totalMs: summarize(samples.on.map((s) => s.totalMs)), saveMs: summarize(samples.on.map((s) => s.saveMs)) },
      off: {
        totalMs: summarize(samples.off.map((s) => s.totalMs)),
        saveMs: summarize(samples.off.map((s) => s.saveMs)),
      },
    };
    // Frees the bench's tmpfs before the next size.
    await setSnapshots(project, 0);
  }
  return results;
}
