/** What started the code that was running, in words ("on GET /x", "in a setTimeout callback"). */
export function describeActivity(marker: { what: string; detail: string }): string;
/**
 * Blames an app's code that was running when the runtime froze or crashed (an `enter` activity
 * marker): marks its version hung when it is the live one, tells the owner's terminal, and returns
 * what the launcher prints. Writes the supervisors' SQLite files under `dataDir`.
 */
export function blameActivity(
  dataDir: string,
  marker: { projectId: string; codeId: string; what: string; detail: string },
  options?: { how?: "froze" | "crashed"; now?: number },
): string[];
