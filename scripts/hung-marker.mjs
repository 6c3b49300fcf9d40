/**
 * After a freeze or a crash, blames the app whose code was running (the last activity marker the
 * runtime printed, activity-markers.mjs) by a verdict that the restarted runtime records itself: no
 * Node code opens the supervisors' databases.
 *
 * The launcher keeps its verdicts on a desk (VerdictDesk): in memory, and in a file of the data
 * directory (`launcher/verdicts.json`, the launcher's own), so that a verdict outlives a launcher
 * stopped before the runtime recorded it. The desk answers on a loopback port, under a secret made for
 * each launch (openDesk); the runtime is given its address in the variable `FACET_IDE_LAUNCHER`. A
 * project's supervisor asks for its verdicts before it serves anything, records each once (marking
 * the version hung, telling the owner's terminal: server/supervisor/verdicts.ts) and reports back,
 * with the lines the launcher prints; only then is the verdict taken off the desk. A verdict goes on
 * the desk while no runtime runs that could ask (launcher.mjs, recovery.mjs), so the code it blames
 * cannot run again before it is recorded (no crash loop, no replay). docs/launcher.md says why.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { APPLIED_SUFFIX, describeActivity, printable, VERDICTS_PATH } from "../shared/launcher-contract.mjs";

/** The largest report the runtime may send back (a few lines). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The verdict on `marker` (an `enter` marker): the code it names `how` the runtime.
 * @param {{ projectId: string, codeId: string, what: string, detail: string }} marker
 * @param {{ how?: "froze" | "crashed", now?: number, id?: string }} [options]
 * @returns {import("../shared/launcher-contract.d.mts").Verdict}
 */
export function verdictFor(marker, { how = "froze", now = Date.now(), id = randomUUID() } = {}) {
  const { projectId, codeId, what, detail } = marker;
  return { id, at: now, how, projectId, codeId, what, detail };
}

/** What the launcher prints as it hands a verdict over (the runtime's report says what was marked). */
export function handedOverLine(verdict) {
  return `the code of project ${printable(verdict.projectId)} that was running ${verdict.how} the runtime ${printable(describeActivity(verdict))}; its supervisor records that before the project runs again`;
}

/** The pending verdicts, in memory and in `file` (written whole, then renamed into place). */
export class VerdictDesk {
  #file;
  /** @type {import("../shared/launcher-contract.d.mts").Verdict[]} */
  #verdicts = [];

  /** @param {string} file where the verdicts are kept; those already there are pending still */
  constructor(file) {
    this.#file = file;
    try {
      const kept = JSON.parse(readFileSync(file, "utf8"));
      if (Array.isArray(kept?.verdicts)) this.#verdicts = kept.verdicts.filter(isVerdict);
    } catch {
      // No file yet (or not one of ours): nothing pending.
    }
  }

  /** The desk's file in the data directory `dataDir`. */
  static in(dataDir) {
    return new VerdictDesk(join(dataDir, "launcher", "verdicts.json"));
  }

  /** Pending verdicts, all or `projectId`'s, oldest first. */
  pending(projectId) {
    return projectId === undefined ? [...this.#verdicts] : this.#verdicts.filter((v) => v.projectId === projectId);
  }

  /** Adds a verdict; kept in memory even if the file cannot be written (that throws, after). */
  add(verdict) {
    this.#verdicts.push(verdict);
    this.#save();
    return verdict;
  }

  /** Takes verdict `id` off the desk once the runtime recorded it; returns it, or null if it was not there. */
  settle(id) {
    const verdict = this.#verdicts.find((v) => v.id === id) ?? null;
    if (!verdict) return null;
    this.#verdicts = this.#verdicts.filter((v) => v !== verdict);
    this.#save();
    return verdict;
  }

  #save() {
    mkdirSync(dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ verdicts: this.#verdicts }, null, 2)}\n`);
    renameSync(temporary, this.#file);
  }
}

const isVerdict = (v) =>
  v !== null &&
  typeof v === "object" &&
  ["id", "projectId", "codeId", "what", "detail"].every((key) => typeof v[key] === "string") &&
  typeof v.at === "number" &&
  (v.how === "froze" || v.how === "crashed");

/**
 * The desk's answer to one request (pure, but for settling a verdict): `path` is the request's path
 * and query, which must start with `/<secret>`. A report (`POST .../applied`) takes the verdict off
 * the desk and hands its lines to `onApplied`; reporting one twice is harmless.
 * @param {VerdictDesk} desk
 * @param {string} secret
 * @param {{ method: string, path: string, body?: string }} request
 * @param {(verdict: object, lines: string[]) => void} onApplied
 * @param {{ answer(method: string, route: string): { status: number, json?: unknown } | null } | null} [folder]
 *   the data folder's routes (data-folder.mjs), answered under the same secret
 * @returns {{ status: number, json?: unknown }}
 */
export function answerDesk(desk, secret, { method, path, body = "" }, onApplied, folder = null) {
  const url = new URL(path, "http://desk");
  const [, given = "", ...rest] = url.pathname.split("/");
  if (!sameSecret(given, secret)) return { status: 404 };
  const route = `/${rest.join("/")}`;
  if (route === VERDICTS_PATH) {
    if (method !== "GET") return { status: 405 };
    return { status: 200, json: { verdicts: desk.pending(url.searchParams.get("project") ?? undefined) } };
  }
  const applied = route.match(new RegExp(`^${VERDICTS_PATH}/([^/]+)${APPLIED_SUFFIX}$`));
  if (applied) {
    if (method !== "POST") return { status: 405 };
    let lines;
    try {
      lines = JSON.parse(body).lines;
    } catch {
      return { status: 400 };
    }
    if (!Array.isArray(lines) || !lines.every((l) => typeof l === "string")) return { status: 400 };
    const verdict = desk.settle(decodeURIComponent(applied[1] ?? ""));
    if (verdict) onApplied(verdict, lines.slice(0, 20));
    return { status: 204 };
  }
  return folder?.answer(method, route) ?? { status: 404 };
}

/** Compares secrets in constant time. */
function sameSecret(given, secret) {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Serves `desk` on a free loopback port under a new secret, until the launcher exits.
 * @param {VerdictDesk} desk
 * @param {(verdict: object, lines: string[]) => void} onApplied
 * @param {import("./data-folder.mjs").DataFolder | null} [folder] the data folder's routes, on the same address
 * @returns {Promise<{ url: string, close: () => void }>} `url` is the runtime's FACET_IDE_LAUNCHER
 */
export async function openDesk(desk, onApplied, folder = null) {
  const secret = randomBytes(24).toString("hex");
  const server = createServer((request, response) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      const answer = answerDesk(
        desk,
        secret,
        { method: request.method ?? "GET", path: request.url ?? "/", body: Buffer.concat(chunks).toString("utf8") },
        onApplied,
        folder,
      );
      const text = answer.json === undefined ? "" : JSON.stringify(answer.json);
      response.writeHead(answer.status, text ? { "content-type": "application/json" } : {});
      response.end(text);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  server.unref();
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}/${secret}`, close: () => server.close() };
}
