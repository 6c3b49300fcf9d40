/**
 * Under the launcher, the type checker is made warm before the runtime answers its first request.
 * A cold checker (TypeScript's compiler compiled into a new isolate, the lib files parsed) keeps the
 * local runtime's thread busy long enough for the launcher to judge it frozen and replace it, which
 * would cut the first save after every start. The launcher judges only a runtime that has answered
 * once, so the cost lands in the start-up instead, where it waits anyway. Deployed there is no
 * launcher and no shared thread: nothing is warmed ahead.
 */
import { launcherDesk } from "../launcher-desk";
import { TypeChecker } from "./type-checker";

let warmed = false;
let warming: Promise<void> | null = null;

/** The warm-up to await before answering (null once done, or when there is nothing to warm). */
export function warmTypeChecker(env: Env): Promise<void> | null {
  if (warmed) return null;
  if (!launcherDesk(env) || String(env.FACET_IDE_TYPE_CHECK) === "off") {
    warmed = true;
    return null;
  }
  warming ??= new TypeChecker(env)
    .warm()
    .catch((error: unknown) => {
      // The save's own check reports a checker that cannot run; the IDE must start regardless.
      console.warn(`the type checker could not be warmed: ${error instanceof Error ? error.message : String(error)}`);
    })
    .finally(() => {
      warmed = true;
    });
  return warming;
}
