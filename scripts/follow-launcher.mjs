/**
 * The runtime (vite + workerd) runs in its own process group so the launcher can kill it whole on a
 * hang. The flip side: if the launcher itself dies without cleaning up (SIGKILL, a test runner that
 * kills only its own group), the runtime would be orphaned and keep the port and the data directory.
 * So the runtime watches its launcher and takes its own group down when the launcher is gone.
 */
const CHECK_EVERY_MS = 1_000;

export function exitWithLauncher() {
  const launcherPid = Number(process.env.FACET_IDE_LAUNCHER_PID);
  if (!Number.isInteger(launcherPid) || launcherPid <= 0) return;
  setInterval(() => {
    // process.ppid is read live: an orphan is re-parented to init or a subreaper.
    if (process.ppid === launcherPid) return;
    try {
      process.kill(-process.pid, "SIGTERM");
    } catch {
      process.exit(0);
    }
  }, CHECK_EVERY_MS).unref();
}
