/** What a failed call says, for a line in the Requests view. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A status's colour class: green for 2xx/3xx, yellow for 4xx, red for 5xx and exceptions. */
export function statusClass(status: number | null, exception: string | null = null): string {
  if (exception !== null || (status !== null && status >= 500)) return "status-bad";
  if (status !== null && status >= 400) return "status-warn";
  return "status-ok";
}

/** "v7", or "draft r2" for the draft's revision 2 (recorded as "draft-2", the x-app-version header). */
export function versionLabel(request: { target: "live" | "draft"; version: string }): string {
  return request.target === "draft" ? request.version.replace(/^draft-/, "draft r") : `v${request.version}`;
}
