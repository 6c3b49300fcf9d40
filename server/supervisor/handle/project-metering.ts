/**
 * An opened project's limits and metrics (project-handle.ts calls these): changing limits (one the
 * app is loaded with restarts it on its version), and the meter's figures with what the app's isolate
 * counted until now, for the project or one object.
 * Tables: none (the meter's and the limits' are metering/'s).
 */
import type { LimitsResponse, MetricsResponse, MetricsWindow, PutLimitsRequest } from "../../../shared/metrics";
import { failure, type Outcome, success } from "../../outcome";
import { objectLabel } from "../objects/object-reference";
import type { ProjectParts } from "./project-parts";

/** Changes limits; one the app is loaded with (database size, CPU, subrequests) restarts it on its version. */
export async function putLimits(
  { metering, store, app, record }: Pick<ProjectParts, "metering" | "store" | "app" | "record">,
  change: PutLimitsRequest,
): Promise<Outcome<LimitsResponse>> {
  const refusal = metering.limits.refusal(change);
  if (refusal) return failure("bad_request", refusal);
  const { restart, changed } = metering.setLimits(change);
  if (changed.length > 0) {
    const version = store.project?.currentVersion ?? null;
    const what = `limits changed (${changed.join(", ")})`;
    if (restart) await app.swap(version, `The app restarted because its ${what}`);
    const message = restart ? `${what}; the app restarted with them` : what;
    record([{ kind: "system", level: "info", at: Date.now(), version, message }]);
  }
  return success(metering.describeLimits());
}

/**
 * The meter's totals, series and cost for the window, with what the app's isolate counted until
 * now: the project's, or one object's (`object`: its ID, Class:name or name).
 */
export async function metrics(
  { metering, app }: Pick<ProjectParts, "metering" | "app">,
  window: MetricsWindow,
  object?: string,
): Promise<Outcome<MetricsResponse>> {
  if (metering.enabled) for (const report of await app.takeMeterReports()) metering.appReport(report);
  if (object === undefined) return success(metering.metrics(window));
  const target = app.target(object);
  if (!target.ok) return target;
  const ref = target.value;
  if (!ref) return success(metering.metrics(window));
  return success(metering.objectMetrics(ref.id, objectLabel(ref), window));
}
