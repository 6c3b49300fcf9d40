// Profiling aid, not part of `npm run bench`: workerd's RSS growth per distinct save on a given
// runtime config, for the supervisor and the AppRunner, each on a fresh runtime.
// Usage (Node >= 22): node bench/profile/memory.mjs [config] [saves]
import { Project, Runner } from "../client.mjs";
import { startRuntime } from "../runtime.mjs";
import { memoryAfterSaves, runnerSaver, supervisorSaver } from "../scenarios/saves.mjs";

const config = process.argv[2] ?? "bench/wrangler.bench.jsonc";
const saves = Number(process.argv[3] ?? 100);
for (const side of ["supervisor", "runner"]) {
  const rt = await startRuntime({ config });
  try {
    const saver =
      side === "supervisor"
        ? supervisorSaver(await Project.create(rt.origin, "memory"))
        : runnerSaver(new Runner(rt.origin, "memory"));
    const m = await memoryAfterSaves(saver, rt.workerdPid, [saves], 0);
    console.log(
      side.padEnd(11),
      `${m.atStartMiB} -> ${m.rssMiB[saves]} MiB after ${saves} saves: ${m.perSaveKiB} KiB/save`,
    );
  } finally {
    rt.stop();
  }
}
