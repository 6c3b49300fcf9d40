/** Ends the runtime's process group when the launcher that started it (FACET_IDE_LAUNCHER_PID) is gone. */
export function exitWithLauncher(): void;
