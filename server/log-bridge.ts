/**
 * Given to each loaded app (inside its env, which the wrapper strips) so that console output that no
 * response carries reaches its own supervisor's terminal (see supervisor/app-logs.ts). Its props fix
 * the project and code: an app can only write to its own log. The app's code can call it with
 * anything, so what arrives is validated and cut to size.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { z } from "zod";
import type { NewLogEntry } from "../shared/protocol";
import { LINE_MAX_CHARS } from "./supervisor/app-logs";
import { supervisorFor } from "./supervisor-stub";

const text = (max: number) => z.string().transform((s) => (s.length > max ? `${s.slice(0, max)}…` : s));
export const AppLogLines = z
  .array(
    z.discriminatedUnion("kind", [
      z.object({
        kind: z.literal("console"),
        level: z.enum(["debug", "log", "info", "warn", "error"]),
        message: text(LINE_MAX_CHARS),
        at: z.number(),
      }),
      z.object({
        kind: z.literal("exception"),
        name: text(200),
        message: text(LINE_MAX_CHARS),
        stack: text(LINE_MAX_CHARS),
        at: z.number(),
      }),
    ]),
  )
  .max(500);

/** Lines an app sent (the bridge's or a response header's), as log entries; null if malformed. */
export function appLogEntries(lines: unknown, version: number | null): NewLogEntry[] | null {
  const parsed = AppLogLines.safeParse(lines);
  if (!parsed.success) return null;
  return parsed.data.map((line) => ({ ...line, version }));
}

export class LogBridge extends WorkerEntrypoint<Env, LogBridgeProps> {
  async append(lines: unknown): Promise<void> {
    const entries = appLogEntries(lines, null);
    if (!entries) throw new TypeError("append() takes the lines the wrapper collects");
    await supervisorFor(this.env, this.ctx.props.projectId).appendLogs(this.ctx.props.codeId, entries);
  }
}
