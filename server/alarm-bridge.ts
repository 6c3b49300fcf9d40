/**
 * Given to each loaded app (inside its env, which the wrapper strips) so that its
 * `ctx.storage.setAlarm` reaches its own supervisor. Its props fix the project: an app can only
 * reach its own alarm.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { supervisorFor } from "./supervisor-stub";

export class AlarmBridge extends WorkerEntrypoint<Env, AlarmBridgeProps> {
  async setAlarm(time: number): Promise<void> {
    if (typeof time !== "number" || !Number.isFinite(time))
      throw new TypeError("setAlarm() needs a time in milliseconds");
    await supervisorFor(this.env, this.ctx.props.projectId).appSetAlarm(time, this.#draft);
  }

  async getAlarm(): Promise<number | null> {
    return supervisorFor(this.env, this.ctx.props.projectId).appGetAlarm(this.#draft);
  }

  async deleteAlarm(): Promise<void> {
    await supervisorFor(this.env, this.ctx.props.projectId).appDeleteAlarm(this.#draft);
  }

  /** The draft's code reaches the draft's alarm, never the live app's. */
  get #draft(): boolean {
    return this.ctx.props.draft === true;
  }
}
