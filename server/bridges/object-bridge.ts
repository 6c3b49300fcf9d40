/**
 * Given to a Worker project's code (inside its env, which the wrapper strips) so that its Durable
 * Object namespaces reach their objects: every stub's `fetch` and RPC call comes here and goes on to
 * the project's supervisor, which serves each object as a facet (supervisor/app-host/app-host.ts). Its props
 * fix the project (and whether it is the draft's code): an app reaches only its own objects. What
 * the app sends is checked by the supervisor.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { DRAFT_CALL_HEADER, OBJECT_HOST } from "../internal";
import { supervisorFor } from "../supervisor-stub";

export class ObjectBridge extends WorkerEntrypoint<Env, ObjectBridgeProps> {
  /** A stub's fetch (or the assets binding's): WebSockets pass, which RPC cannot carry. */
  override async fetch(request: Request): Promise<Response> {
    const headers = new Headers(request.headers);
    // Set here, never by the app: which of the project's apps asks.
    headers.delete(DRAFT_CALL_HEADER);
    if (this.ctx.props.draft === true) headers.set(DRAFT_CALL_HEADER, "1");
    // "manual": an object's 3xx is its answer, handed back to the stub as on Cloudflare, never followed.
    const internal = new Request(`http://${OBJECT_HOST}/`, {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
    });
    return supervisorFor(this.env, this.ctx.props.projectId).fetch(internal);
  }

  /** A stub's RPC call: `method` with `args` on the object `ref`, as part of the request `call` names. */
  async call(ref: unknown, method: unknown, args: unknown, call: unknown): Promise<unknown> {
    return supervisorFor(this.env, this.ctx.props.projectId).objectCall(
      ref,
      method,
      args,
      call,
      this.ctx.props.draft === true,
    );
  }
}
