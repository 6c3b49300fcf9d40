/**
 * What the hostile process tests share (issue 13 against the real IDE, as an attacker would try it:
 * hostile-host.test.ts, hostile-freezes.test.ts, hostile-resources.test.ts): the server each mode
 * runs, the bystander whose outage is measured, the launcher's output, an app armed by a request.
 *
 * All of it runs under `npm start`, what users run. Under `npm run dev` (Vite serves the repository,
 * and recovery restarts the dev server) what differs is run again: each file names its tests in its
 * UNDER_DEV set. Each outage figure is printed, not asserted.
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { ServerMessage } from "../../shared/protocol";
import armedApp from "./fixtures/armed-app.ts?raw";
import {
  appRequest,
  type IdeServer,
  type Mode,
  startServer,
  terminalUrl,
  untilOutput as untilOutputOf,
  waitForHealth,
} from "./ide-server";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const APP_PAGE = (port: number) => `http://attacker.localhost:${port}`;

/** The server of the mode being run (a live binding: set before each mode's tests). */
export let server: IdeServer;

/**
 * Runs `body` under npm start and then under npm run dev, each on a server of its own. Its `test`
 * skips a test under npm run dev unless `underDev` names it.
 */
export function underBothModes(
  underDev: Set<string>,
  body: (test: (name: string, run: () => Promise<void>) => void, mode: Mode, dataDir: string) => void,
): void {
  for (const mode of ["start", "dev"] satisfies Mode[]) {
    describe(`under npm ${mode === "start" ? "start" : "run dev"}`, () => {
      // Each mode's own data directory, inside the repository's .data/ (the default data folder, which
      // Vite would serve).
      const dataDir = `${root}.data/hostile-test-${process.pid}-${mode}`;
      /** A test, skipped under npm run dev unless it is one of underDev. */
      const test = (name: string, run: () => Promise<void>) =>
        (mode === "start" || underDev.has(name) ? it : it.skip)(name, run);
      beforeAll(async () => {
        server = await startServer({ mode, dataDir });
      });
      afterAll(async () => {
        if (process.env.FACET_IDE_TEST_OUTPUT)
          (await import("node:fs")).writeFileSync(
            `${process.env.FACET_IDE_TEST_OUTPUT}.${mode}`,
            server?.output() ?? "",
          );
        await server?.stop();
        rmSync(dataDir, { recursive: true, force: true });
      });
      body(test, mode, dataDir);
    });
  }
}

/** Requests a bystander app every 50 ms until stopped; the longest time without an answer is the outage. */
export function watchOutage(projectId: string) {
  let stopped = false;
  let lastOk = Date.now();
  let longest = 0;
  const loop = (async () => {
    while (!stopped) {
      const answered = await appRequest(server, projectId, "/", { timeoutMs: 1_000 })
        .then((r) => r.status === 200)
        .catch(() => false);
      const now = Date.now();
      if (answered) {
        longest = Math.max(longest, now - lastOk);
        lastOk = now;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async (what: string) => {
    await waitForHealth(server.port, 60_000);
    // Until the bystander answers again.
    for (let i = 0; i < 200 && Date.now() - lastOk > 200; i++) await new Promise((r) => setTimeout(r, 50));
    stopped = true;
    await loop;
    console.log(
      `outage for the other projects under npm ${server.mode === "dev" ? "run dev" : "start"}, ${what}: ${longest} ms`,
    );
    return longest;
  };
}

/** Waits until the launcher has printed `text` (it recovers, then says what it blamed). */
export const untilOutput = (text: string | RegExp, timeoutMs = 60_000): Promise<void> =>
  untilOutputOf(server, text, timeoutMs);

export async function history(project: { id: string; token: string }): Promise<string> {
  const socket = new WebSocket(terminalUrl(server, project.id), ["facet-ide", `token.${project.token}`]);
  const hello = await new Promise<ServerMessage>((resolve, reject) => {
    socket.addEventListener("message", (e) => resolve(JSON.parse(String(e.data))));
    socket.addEventListener("error", reject);
  });
  socket.close();
  return JSON.stringify(hello);
}

/** The app in fixtures/armed-app.ts: GET /arm runs `trigger`, any other request answers "fine". */
export const regexApp = (trigger: string) => armedApp.replaceAll("/* trigger */", () => trigger);
export const FREEZE = `/^(a+)+$/.test("a".repeat(40) + "b")`;
