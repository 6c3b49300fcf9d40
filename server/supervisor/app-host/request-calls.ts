/**
 * The requests (and alarms) inside an app's swap gate that a Worker project's objects may be called
 * for, by the call ID the app's code carries (object-runtime.ts). A call to an object enters the gate
 * as part of the request that made it while that request is still inside (a request waits for its
 * calls, so they must not wait for a swap that waits for it), and is refused once a swap cut that
 * request off.
 */
import type { LogEntry } from "../../../shared/logs";
import type { ObjectRef } from "../../app-runtime/protocol";
import type { GatePass, SwapGate } from "../versions/swap-gate";
import type { BodyTap } from "./body-tap";

/**
 * Told what one request logged as it is stored (its request line, what it printed, its exception),
 * and, for a Worker project, each call to an object made for it with that call's lines: the API's
 * request_app returns them.
 */
export interface RequestObserver {
  lines(entries: LogEntry[]): void;
  object?(ref: ObjectRef): void;
  /** The request is being recorded: the app's streamed body is handed on with its first bytes kept. */
  body?: BodyTap;
  /** The request is being recorded: the app's WebSocket is relayed through the socket this gives the client. */
  socket?(appSide: WebSocket): WebSocket;
}

export class RequestCalls {
  #gate: SwapGate;
  /** By call ID; `cut` once a swap cut the request off. */
  #calls = new Map<string, { pass: GatePass; cut: boolean; observer: RequestObserver | undefined }>();

  constructor(gate: SwapGate) {
    this.#gate = gate;
  }

  /**
   * Enters the gate for work on the app: as part of the request `call` names when that request is
   * still inside (a Worker's call to one of its objects, which it waits for), else as a request.
   * Throws the reason when that request was cut off by a swap.
   */
  async enter(label: string, call: string | null): Promise<GatePass> {
    const parent = call === null ? undefined : this.#calls.get(call);
    if (!parent) return this.#gate.enter(label);
    if (parent.cut) throw new Error(`${label} was not run: the request that made it was cut off by a swap`);
    return this.#gate.enterNested(label);
  }

  /** The observer of the request `call` names while it is inside (none for most requests). */
  observer(call: string | null): RequestObserver | undefined {
    return call === null ? undefined : this.#calls.get(call)?.observer;
  }

  /**
   * Gives `pass` a call ID the app's code carries for the calls it makes while the pass is held;
   * `observer` is told of those calls.
   */
  register(pass: GatePass, observer?: RequestObserver): string {
    const id = crypto.randomUUID();
    const entry = { pass, cut: false, observer };
    this.#calls.set(id, entry);
    const release = pass.release;
    pass.release = () => {
      this.#calls.delete(id);
      release();
    };
    const onCut = pass.onCut;
    pass.onCut = (reason) => {
      entry.cut = true;
      onCut?.(reason);
    };
    return id;
  }
}
