import { describe, expect, it } from "vitest";
import { processTreeRss } from "../../scripts/process-tree.mjs";
import { appRequest, clientOf, counterSource, createProject, deploy, startServer } from "./ide-server";

describe("restarts and memory", () => {
  it("keeps every project, version and app database across a stop (SIGTERM) and a start", async () => {
    const first = await startServer();
    const project = await createProject(first);
    await deploy(first, project, counterSource("before"));
    await deploy(first, project, counterSource("after"));
    expect(await (await appRequest(first, project.id)).text()).toBe("after rows=1");
    await first.stop("SIGTERM");

    const second = await startServer({ dataDir: first.dataDir });
    try {
      const versions = await clientOf(second).call("listVersions", {
        params: { id: project.id },
        credential: project.token,
      });
      expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
      const code = await clientOf(second).call("getCode", { params: { id: project.id }, credential: project.token });
      expect(code.files["app.ts"]).toContain('"after"');
      const response = await appRequest(second, project.id);
      expect(response.headers["x-app-version"]).toBe("2");
      expect(await response.text()).toBe("after rows=2");
    } finally {
      await second.stop("SIGINT");
    }
  });

  it("still answers after 500 saves of distinct versions, under the memory ceiling", async () => {
    // Low enough that 500 saves cross it, so the graceful restart is exercised too.
    const ceilingMb = 512;
    const server = await startServer({ env: { FACET_IDE_MEMORY_CEILING_MB: String(ceilingMb) } });
    try {
      const project = await createProject(server);
      const runtimeGroup = () =>
        Number([...server.output().matchAll(/runtime started: .* \(process group (\d+)\)/g)].at(-1)?.[1]);
      let peakMb = 0;
      for (let i = 1; i <= 500; i++) {
        const { version } = await retryWhileRestarting(() => deploy(server, project, counterSource(`save-${i}`)));
        expect(version).toBe(i);
        if (i % 50 === 0) {
          const response = await retryWhileRestarting(() => appRequest(server, project.id));
          expect(await response.text()).toMatch(new RegExp(`^save-${i} rows=`));
          peakMb = Math.max(peakMb, runtimeRssMb(runtimeGroup()));
        }
      }
      console.log(
        `workerd memory after 500 saves: ${runtimeRssMb(runtimeGroup())} MB (peak sampled ${peakMb} MB); the whole runtime (Miniflare's Node and workerd): ${Math.round(processTreeRss(runtimeGroup()) / 1024)} MB`,
      );
      expect(runtimeRssMb(runtimeGroup())).toBeLessThan(ceilingMb + 256);
      // The launcher restarts workerd once two samples 5 s apart found it over the ceiling (one could
      // be an app's garbage not yet collected): wait for that, as the saves may have been quicker.
      for (let i = 0; i < 100 && !/restarting it to free old versions/.test(server.output()); i++) {
        if (runtimeRssMb(runtimeGroup()) < ceilingMb) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const restarts = server.output().match(/restarting it to free old versions/g)?.length ?? 0;
      console.log(`graceful restarts past the ${ceilingMb} MB ceiling: ${restarts}`);
      expect(restarts).toBeGreaterThan(0);
      expect((await retryWhileRestarting(() => clientOf(server).send("health"))).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

/** The part of the runtime the launcher's ceiling watches (see scripts/launcher.mjs). */
const runtimeRssMb = (group: number) => Math.round(processTreeRss(group, "workerd") / 1024);

/** A restart past the memory ceiling takes the runtime away for a few seconds; a client retries. */
async function retryWhileRestarting<T>(work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() - started > 60_000) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
