/**
 * The requests (and alarms) inside an app's swap gate that a Worker project's objects may be called
 * for, by the call ID the app's code carries (object-runtime.ts). A call to an object enters the gate
 * as part of the request that made it while that request is still inside (a request waits for its
 * calls, so they must not wait for a swap that waits for it), and is refused once a swap cut that
 * request off.
 */
import type { GatePass, SwapGate } from "../versions/swap-gate";

export class RequestCalls {
  #gate: SwapGate;
  /** By call ID; `cut` once a swap cut the request off. */
  #calls = new Map<string, { pass: GatePass; cut: boolean }>();

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

  /** Gives `pass` a call ID the app's code carries for the calls it makes while the pass is held. */
  register(pass: GatePass): string {
    const id = crypto.randomUUID();
    const entry = { pass, cut: false };
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
