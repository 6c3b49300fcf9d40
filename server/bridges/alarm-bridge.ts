/**
 * Given to each loaded app (inside its env, which the wrapper strips) so that its
 * `ctx.storage.setAlarm` reaches its own supervisor. Its props fix the project: an app can only
 * reach its own alarm.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { supervisorFor } from "../supervisor-stub";

export class AlarmBridge extends WorkerEntrypoint<Env, AlarmBridgeProps> {
  /** `object`: the ID of the Durable Object of a Worker project whose alarm this is (none: the App's). */
  async setAlarm(time: number, object?: unknown): Promise<void> {
    if (typeof time !== "number" || !Number.isFinite(time))
      throw new TypeError("setAlarm() needs a time in milliseconds");
    await supervisorFor(this.env, this.ctx.props.projectId).appSetAlarm(time, this.#draft, objectKey(object));
  }

  async getAlarm(object?: unknown): Promise<number | null> {
    return supervisorFor(this.env, this.ctx.props.projectId).appGetAlarm(this.#draft, objectKey(object));
  }

  async deleteAlarm(object?: unknown): Promise<void> {
    await supervisorFor(this.env, this.ctx.props.projectId).appDeleteAlarm(this.#draft, objectKey(object));
  }

  /** The draft's code reaches the draft's alarm, never the live app's. */
  get #draft(): boolean {
    return this.ctx.props.draft === true;
  }
}

/** An object's ID as the wrapper sends it (64 hex digits), or null for the App's own alarm. */
function objectKey(object: unknown): string | null {
  if (object === undefined || object === null) return null;
  if (typeof object !== "string" || !/^[0-9a-f]{64}$/.test(object)) throw new TypeError("not an object ID");
  return object;
}
