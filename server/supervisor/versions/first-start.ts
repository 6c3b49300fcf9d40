/**
 * A save's first start: the new App is constructed while the swap still holds requests back, so a
 * constructor that throws refuses the code (422 at the line it threw) before anything reaches it, and
 * the code before it serves on. Used by the live saves (saves.ts) and the draft's (drafts.ts).
 */
import type { Diagnostic } from "../../../shared/api";
import type { NewLogEntry } from "../../../shared/logs";
import { type Failure, failure } from "../../outcome";
import type { SwapData } from "../app-host/app-swap";
import { diagnosticsFromError, thrownError } from "../app-host/errors";

/** A swap's steps, then the first start: `start` constructs the App, `takeBack` undoes the save. */
export function withFirstStart(
  steps: SwapData,
  start: () => Promise<unknown>,
  takeBack: () => void,
): { data: SwapData; error: () => unknown } {
  let error: unknown = null;
  const data: SwapData = {
    ...steps,
    afterAbort: async () => {
      await steps.afterAbort?.();
      error = await start();
      if (error !== null) takeBack();
    },
  };
  return { data, error: () => error };
}

/** The refusal of code whose App's constructor threw, and its line for the terminal. */
export function startRefusal(
  error: unknown,
  code: { main: string; files: Record<string, string> },
  marks: { version: number | null; draft?: number },
): { refusal: Failure; entry: NewLogEntry } {
  const [first] = diagnosticsFromError(error, code.main, Object.keys(code.files));
  const { name } = thrownError(error);
  const diagnostics: Diagnostic[] = first
    ? [{ ...first, message: `The App's constructor threw ${name}: ${first.message}` }]
    : [];
  const message = `${first?.file}:${first?.line}:${first?.column} ${diagnostics[0]?.message}`;
  const entry: NewLogEntry = { kind: "save-error", at: Date.now(), ...marks, message, diagnostics };
  const details = { diagnostics, liveVersion: marks.version ?? undefined };
  return { refusal: failure("compile_error", `The code was not deployed: ${message}`, details), entry };
}
