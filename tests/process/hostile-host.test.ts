/**
 * Issue 13 against the real IDE, what an app can reach of the host: an app's page reading the data
 * folder or the dev server's files (item 1); escape sequences reaching the terminal that runs the
 * server (item 5). Shared parts: hostile-support.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect } from "vitest";
import { processesInGroup } from "../../scripts/process-tree.mjs";
import { APP_PAGE, regexApp, server, underBothModes, untilOutput } from "./hostile-support";
import { api, appRequest, clientOf, createProject, deploy } from "./ide-server";

/** Under `npm run dev`, what depends on the mode: Vite's file serving. */
const UNDER_DEV = new Set([
  "refuses the data folder, Vite's file routes and Miniflare's explorer to an app's page, and serves no CORS",
  "runs workerd without an inspector port (it accepts WebSockets from any origin)",
  "prints an app's escape sequences with their control characters visible",
]);

underBothModes(UNDER_DEV, (test, mode, dataDir) => {
  describe("item 1: no page on any origin can read the data folder or the dev server's files", () => {
    test("refuses the data folder, Vite's file routes and Miniflare's explorer to an app's page, and serves no CORS", async () => {
      const victim = await createProject(server, "notes");
      const supervisors = `${dataDir}/v3/do/facet-ide-ProjectSupervisor`;
      const file = readdirSync(supervisors).find((f) => /^[0-9a-f]+\.sqlite$/.test(f));
      expect(file).toBeDefined();
      const relative = `/.data/hostile-test-${process.pid}-${mode}/v3/do/facet-ide-ProjectSupervisor/${file}`;
      const targets = [
        relative,
        `${relative}?raw`,
        `${relative}?import`,
        `/@fs${supervisors}/${file}`,
        "/package.json",
        "/cdn-cgi/local/explorer/api/workers/durable_objects/namespaces",
        clientOf(server).path("listTemplates"),
      ];
      const page = APP_PAGE(server.port);
      for (const path of targets) {
        // A fetch from the app's page (cross-origin, so the browser sends fetch metadata and Origin).
        const fromPage = await api(server, path, {
          headers: {
            origin: page,
            "sec-fetch-site": "same-site",
            "sec-fetch-mode": "cors",
            "sec-fetch-dest": "empty",
          },
        });
        expect(fromPage.status, path).toBeGreaterThanOrEqual(400);
        expect(fromPage.headers.get("access-control-allow-origin"), path).toBeNull();
        expect(await fromPage.text()).not.toContain("SQLite format");
        // A <script> or <img> tag on the page (no CORS, but fetch metadata all the same).
        const included = await api(server, path, {
          headers: { "sec-fetch-site": "same-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "script" },
        });
        expect([403, 404], path).toContain(included.status);
      }
      // Without any browser headers (curl on the machine), the data folder is still not served.
      for (const path of targets.slice(0, 4)) {
        const plain = await api(server, path);
        expect(await plain.text(), path).not.toContain("SQLite format");
      }
      // On the app's own origin (same-origin for its page), those paths are the app's, not files.
      for (const path of [relative, "/cdn-cgi/local/explorer/api/workers/durable_objects/namespaces"]) {
        const own = await appRequest(server, victim.id, path);
        expect(await own.text(), path).not.toMatch(/SQLite format|facet-ide-ProjectSupervisor/);
      }
    });

    test("runs workerd without an inspector port (it accepts WebSockets from any origin)", async () => {
      const group = Number([...server.output().matchAll(/process group (\d+)\)/g)].at(-1)?.[1]);
      const [workerd] = processesInGroup(group, "workerd");
      expect(workerd).toBeDefined();
      const commandLine = readFileSync(`/proc/${workerd?.pid}/cmdline`, "utf8");
      expect(commandLine).not.toContain("--inspector-addr");
    });
  });

  describe("item 5: the terminal running the server shows app output, never runs it", () => {
    test("prints an app's escape sequences with their control characters visible", async () => {
      const project = await createProject(server);
      await deploy(
        server,
        project,
        regexApp(
          `console.log("\\u001b[2J\\u001b]8;;http://evil.example/login\\u0007click\\u001b]8;;\\u0007 \\u001b]52;c;cHduZWQ=\\u0007 host-terminal-probe");`,
        ),
      );
      await appRequest(server, project.id, "/arm");
      await untilOutput("host-terminal-probe");
      const line =
        server
          .output()
          .split("\n")
          .find((l) => l.includes("host-terminal-probe")) ?? "";
      for (const raw of ["\u001b]52", "\u001b[2J", "\u001b]8;;", "\u0007"])
        expect(line.includes(raw), JSON.stringify(raw)).toBe(false);
      expect(line).toContain("^[]52;c;cHduZWQ=^G");
    });
  });
});
