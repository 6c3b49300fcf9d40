/**
 * `npm start`: what users run. Builds the IDE when dist/ is missing or was made from other sources
 * (and says why), then serves the build with workerd (serve-build.mjs) under the supervising
 * launcher (launcher.mjs): freeze and crash detection, blame, memory cap and ceiling, graceful
 * restarts, Ctrl+C.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { hashSources, readManifest, root, whyRebuild } from "./build-manifest.mjs";
import { launch, log } from "./launcher.mjs";

const reason = whyRebuild(readManifest(), hashSources());
if (reason) {
  log(`building the IDE: ${reason}`);
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) {
    log("the build failed; nothing was started");
    process.exit(build.status ?? 1);
  }
} else {
  log(`the build in dist/ is up to date (made ${readManifest()?.builtAt})`);
}

await launch({
  name: "the built worker (Miniflare)",
  command: process.execPath,
  args: [join(root, "scripts", "serve-build.mjs")],
  // Miniflare starts a new workerd by itself when one dies, in about half a second.
  workerdAlone: true,
  // Miniflare starts workerd through scripts/workerd-output.sh, writing to the launcher's pipe.
  ownOutput: true,
});
