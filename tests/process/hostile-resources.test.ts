/**
 * Issue 13 against the real IDE (item 3): what still stops the runtime (a heap bomb), gigabytes of
 * ArrayBuffers, a flooded terminal socket and a huge console SELECT, with the outage the other
 * projects see measured. Shared parts: hostile-support.ts.
 */
import { describe, expect } from "vitest";
import { regexApp, server, underBothModes, untilOutput, watchOutage } from "./hostile-support";
import { appRequest, clientOf, counterSource, createProject, deploy, terminalUrl } from "./ide-server";

/** Under `npm run dev`, what depends on the mode: recovery by restarting the dev server. */
const UNDER_DEV = new Set(["recovers from a heap bomb and blames it"]);

underBothModes(UNDER_DEV, (test) => {
  describe("item 3: what can still stop the runtime is recovered from, and the rest cannot stop it", () => {
    test("recovers from a heap bomb and blames it", async () => {
      const bystander = await createProject(server);
      await deploy(server, bystander, counterSource("bystander"));
      const bomb = await createProject(server);
      await deploy(
        server,
        bomb,
        regexApp(`const kept: number[][] = []; for (;;) kept.push(new Array(1e6).fill(1.5));`),
      );
      const outage = watchOutage(bystander.id);
      await appRequest(server, bomb.id, "/arm", { timeoutMs: 60_000 }).catch(() => null);
      // Whichever comes first blames it: V8 runs out of heap and workerd dies, or the loop holds the
      // runtime past the hang detector's 3.5 s: both were seen under npm run dev, on the same machine.
      await untilOutput(
        new RegExp(`project ${bomb.id}: v1 (crashed the runtime \\(out of memory\\?\\)|froze the runtime) on GET /arm`),
      );
      await outage("a heap bomb");
      expect((await appRequest(server, bomb.id)).status).toBe(503);
      expect(await (await appRequest(server, bystander.id)).text()).toMatch(/^bystander rows=\d+$/);
    });

    test("keeps an app asking for 8 GiB of ArrayBuffers from taking the machine's memory", async () => {
      const bystander = await createProject(server);
      await deploy(server, bystander, counterSource("bystander"));
      const project = await createProject(server);
      await deploy(
        server,
        project,
        regexApp(`const kept: ArrayBuffer[] = [];
      try {
        for (let i = 0; i < 8; i++) kept.push(new Uint8Array(2 ** 30).fill(1).buffer);
      } catch (error) {
        return new Response(kept.length + " GiB, then " + String(error));
      }`),
      );
      const outage = watchOutage(bystander.id);
      const response = await appRequest(server, project.id, "/arm", { timeoutMs: 60_000 }).catch(() => null);
      const text = (await response?.text()) ?? "";
      // Either the allocation is refused in the app (its memory is capped), or filling the buffers held
      // the runtime long enough to count as frozen, and the app is blamed and stopped, or the launcher's
      // memory watch saw workerd's mapped data pass its share of the cap first (sampled once a second)
      // and restarted it gracefully. Each keeps the machine's memory; the bystander's outage is bounded.
      if (/RangeError/.test(text)) {
        expect(text).toMatch(/^[0-7] GiB, then RangeError: Array buffer allocation failed/);
      } else {
        await untilOutput(
          new RegExp(
            `project ${project.id}: v1 (froze|crashed) the runtime|workerd maps \\d+ MB of data \\(limit \\d+ MB\\); restarting it`,
          ),
        );
      }
      console.log(`8 GiB of ArrayBuffers: ${text || "the runtime was restarted"}`);
      await outage("an app filling 8 GiB of ArrayBuffers");
    });

    test("cuts off a terminal socket that sends 15,000 pings or statements; the other projects go on", async () => {
      const bystander = await createProject(server);
      await deploy(server, bystander, counterSource("bystander"));
      const attacker = await createProject(server);
      const freezesBefore = server.output().split("has not answered for").length;
      for (const [what, message] of [
        ["pings", '{"type":"ping"}'],
        ["statements", '{"type":"sql","id":"x","sql":"SELECT 1"}'],
      ] as const) {
        const socket = new WebSocket(terminalUrl(server, attacker.id), ["facet-ide", `token.${attacker.token}`]);
        await new Promise((resolve) => socket.addEventListener("open", resolve));
        let answers = 0;
        socket.addEventListener("message", () => answers++);
        const closed = new Promise<number>((resolve) => socket.addEventListener("close", (e) => resolve(e.code)));
        const outage = watchOutage(bystander.id);
        for (let i = 0; i < 15_000; i++) socket.send(message);
        expect(await closed).toBe(1008);
        expect(answers).toBeLessThanOrEqual(100);
        await outage(`15,000 ${what} on a terminal socket`);
      }
      expect(server.output().split("has not answered for").length).toBe(freezesBefore);
      expect((await appRequest(server, bystander.id)).status).toBe(200);
    });

    test("answers a 10-million-row SELECT in the console with its first rows, without holding the runtime", async () => {
      const bystander = await createProject(server);
      await deploy(server, bystander, counterSource("bystander"));
      const project = await createProject(server);
      const outage = watchOutage(bystander.id);
      const response = await clientOf(server).send("runSql", {
        params: { id: project.id },
        credential: project.token,
        body: {
          sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) SELECT i FROM n",
        },
      });
      expect(await response.json()).toMatchObject({ truncated: true, totalRowsExact: false });
      await outage("a 10-million-row console SELECT");
    });
  });
});
