/**
 * Given to each loaded app (inside its env, which the wrapper strips) so that the meter inside its
 * isolate (app-runtime/meter/meter.ts) can report what the app read, wrote and sent to its own
 * supervisor. Its props fix the project: an app can only report for itself, and since
 * reports are counts to add, a report the app's code forged could only make it look costlier. What
 * arrives is validated by the supervisor.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { supervisorFor } from "../supervisor-stub";

export class MeterBridge extends WorkerEntrypoint<Env, MeterBridgeProps> {
  async report(report: unknown): Promise<void> {
    await supervisorFor(this.env, this.ctx.props.projectId).appMeterReport(report);
  }
}
