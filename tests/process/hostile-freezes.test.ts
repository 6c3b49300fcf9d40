/**
 * Issue 13 against the real IDE (item 2): freezes started by a timer, an object's RPC method, a
 * console query or new code, blamed on the right code or on nobody. Shared parts: hostile-support.ts.
 */
import { describe, expect } from "vitest";
import freezingObjectWorker from "./fixtures/freezing-object/src/index.ts?raw";
import { FREEZE, history, regexApp, server, underBothModes, untilOutput, watchOutage } from "./hostile-support";
import { appRequest, clientOf, counterSource, createProject, deploy, waitForHealth } from "./ide-server";

/** A Worker project (issue 19) whose object freezes the runtime in an RPC method a stub calls. */
const freezingObjectProject = {
  "wrangler.jsonc": `{ "main": "src/index.ts", "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "Room" }] } }`,
  "src/index.ts": freezingObjectWorker.replaceAll("/* freeze */ false", () => FREEZE),
};

/** Under `npm run dev`, what depends on the mode: recovery by restarting the dev server. */
const UNDER_DEV = new Set(["blames the app whose timer froze the runtime, not the app that had the last request"]);

underBothModes(UNDER_DEV, (test) => {
  describe("item 2: a freeze is blamed on the code that was running, whatever started it", () => {
    test("blames the app whose timer froze the runtime, not the app that had the last request", async () => {
      const bystander = await createProject(server);
      await deploy(server, bystander, counterSource("bystander"));
      const culprit = await createProject(server);
      await deploy(server, culprit, regexApp(`setTimeout(() => ${FREEZE}, 1500);`));
      const victim = await createProject(server);
      await deploy(server, victim, counterSource("victim"));

      const outage = watchOutage(bystander.id);
      expect(await (await appRequest(server, culprit.id, "/arm")).text()).toBe("armed");
      await new Promise((r) => setTimeout(r, 1_000));
      await appRequest(server, victim.id, "/", { timeoutMs: 30_000 }).catch(() => null);
      await untilOutput(`project ${culprit.id}: v1 froze the runtime in a setTimeout callback`);
      await outage("a timer's catastrophic regex");

      expect((await appRequest(server, victim.id)).status).toBe(200);
      const refused = await appRequest(server, culprit.id);
      expect(refused.status).toBe(503);
      expect(await refused.text()).toContain("froze the runtime (in a setTimeout callback");
      expect(await history(culprit)).toContain("v1 froze the runtime in a setTimeout callback");

      // Saving the same code again would clear the mark (the owner decides to run it again), but not
      // at once: the project cools down first (issue 24), so it cannot freeze the runtime again now.
      const again = await clientOf(server).send("putCode", {
        params: { id: culprit.id },
        credential: culprit.token,
        body: { files: { "app.ts": regexApp(`setTimeout(() => ${FREEZE}, 1500);`) } },
      });
      expect(again.status).toBe(429);
      expect(await again.text()).toContain("cooling_down");
      expect((await appRequest(server, culprit.id)).status).toBe(503);
    });

    test("blames a Worker project whose object froze the runtime in an RPC method", async () => {
      const bystander = await createProject(server);
      await deploy(server, bystander, counterSource("bystander"));
      const culprit = await createProject(server);
      const saved = await clientOf(server).send("putCode", {
        params: { id: culprit.id },
        credential: culprit.token,
        body: { files: freezingObjectProject },
      });
      expect(saved.status, await saved.clone().text()).toBe(200);
      const outage = watchOutage(bystander.id);
      await appRequest(server, culprit.id, "/arm", { timeoutMs: 30_000 }).catch(() => null);
      await untilOutput(`project ${culprit.id}: v1 froze the runtime in the RPC method spin()`);
      await outage("an object's RPC method's catastrophic regex");
      expect((await appRequest(server, bystander.id)).status).toBe(200);
      const refused = await appRequest(server, culprit.id);
      expect(refused.status).toBe(503);
      expect(await refused.text()).toContain("froze the runtime (in the RPC method spin()");
    });

    test("blames the console, not a version, for a statement that never ends, and tells the owner", async () => {
      const project = await createProject(server);
      await deploy(server, project, counterSource("console"));
      const statement = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
      const outage = watchOutage(project.id);
      await clientOf(server)
        .send("runSql", {
          params: { id: project.id },
          credential: project.token,
          body: { sql: statement },
          signal: AbortSignal.timeout(60_000),
        })
        .catch(() => null);
      await untilOutput(`project ${project.id}: froze the runtime running the SQL console's statement`);
      await outage("an endless console statement (its own project included)");
      expect((await appRequest(server, project.id)).status).toBe(200);
      expect(await history(project)).toContain("The SQL console's statement froze the runtime");
      // Blamed on the project whose console ran it: its console waits (issue 24), its app runs on.
      const next = await clientOf(server).send("runSql", {
        params: { id: project.id },
        credential: project.token,
        body: { sql: statement },
      });
      expect(next.status).toBe(429);
      expect(await next.text()).toContain("The SQL console and the Data view are refused for this project until");
    });

    test("tells the owner when the code being saved froze the runtime while starting, and keeps the live version", async () => {
      const project = await createProject(server);
      await deploy(server, project, counterSource("live"));
      await clientOf(server)
        .send("putCode", {
          params: { id: project.id },
          credential: project.token,
          body: { files: { "app.ts": `${FREEZE};\n${counterSource("never")}` } },
          signal: AbortSignal.timeout(60_000),
        })
        .catch(() => null);
      await untilOutput(`project ${project.id}: code being saved froze the runtime while its modules started`);
      await waitForHealth(server.port, 60_000);
      const live = await appRequest(server, project.id);
      expect(live.headers["x-app-version"]).toBe("1");
      expect(await history(project)).toContain("was not deployed");
    });
  });
});
