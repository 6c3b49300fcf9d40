/**
 * Global setup: builds the IDE once before the process tests, if dist/ is not current, so the
 * `npm start` processes the tests launch (several at a time, in one test) never build concurrently.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { hashSources, readManifest, root, whyRebuild } from "../../scripts/build-manifest.mjs";

export default function buildOnce() {
  const reason = whyRebuild(readManifest(), hashSources());
  if (!reason) return;
  console.log(`building the IDE for the process tests: ${reason}`);
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the build failed");
}
