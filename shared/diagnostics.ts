/**
 * A compile or start-up problem, pointing into the user's source. Its own module because both the
 * API's bodies (api.ts) and the log lines (logs.ts) carry it, and api.ts also carries log lines.
 */
import { z } from "zod";

/** Lines and columns are 1-based. */
export const Diagnostic = z.object({
  file: z.string(),
  line: z.number(),
  column: z.number(),
  message: z.string(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;
