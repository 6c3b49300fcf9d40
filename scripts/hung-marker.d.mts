import type { Verdict } from "../shared/launcher-contract.d.mts";

/** The verdict on the code an `enter` activity marker names: it `how` the runtime. */
export function verdictFor(
  marker: { projectId: string; codeId: string; what: string; detail: string },
  options?: { how?: "froze" | "crashed"; now?: number; id?: string },
): Verdict;
/** What the launcher prints as it hands a verdict over. */
export function handedOverLine(verdict: Verdict): string;
/** The pending verdicts, in memory and in a file of the data directory. */
export class VerdictDesk {
  constructor(file: string);
  static in(dataDir: string): VerdictDesk;
  pending(projectId?: string): Verdict[];
  add(verdict: Verdict): Verdict;
  settle(id: string): Verdict | null;
}
/** The desk's answer to one request; `path` starts with `/<secret>`. */
export function answerDesk(
  desk: VerdictDesk,
  secret: string,
  request: { method: string; path: string; body?: string },
  onApplied: (verdict: Verdict, lines: string[]) => void,
  folder?: DeskRoutes | null,
): { status: number; json?: unknown };
/** More routes the desk answers under its secret (the data folder's, data-folder.mjs). */
export interface DeskRoutes {
  answer(method: string, route: string): { status: number; json?: unknown } | null;
}
/** Serves `desk` on a free loopback port under a new secret; `url` is the runtime's FACET_IDE_LAUNCHER. */
export function openDesk(
  desk: VerdictDesk,
  onApplied: (verdict: Verdict, lines: string[]) => void,
  folder?: DeskRoutes | null,
): Promise<{ url: string; close: () => void }>;
