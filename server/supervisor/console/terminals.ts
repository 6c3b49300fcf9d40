/**
 * The project's terminals connected now, as everything that writes to them sees them: how many
 * listen, and a message sent to all. Deployed, terminal sockets hibernate and the runtime lists
 * them; locally they are accepted awake and listed here (terminal-sockets.ts says why, and accepts
 * them).
 */
import type { LogEntry } from "../../../shared/logs";
import type { ServerMessage } from "../../../shared/protocol";

export class Terminals {
  #ctx: DurableObjectState;
  /** Sockets accepted awake (locally); hibernatable ones are listed by the runtime. */
  #awake = new Set<WebSocket>();

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  /** Terminals connected now. */
  get count(): number {
    return this.#ctx.getWebSockets().length + this.#awake.size;
  }

  /** Lists a socket accepted awake, until `forget`. */
  addAwake(socket: WebSocket): void {
    this.#awake.add(socket);
  }

  forget(socket: WebSocket): void {
    this.#awake.delete(socket);
  }

  /** Sends new log lines to every terminal. */
  broadcast(entries: LogEntry[]): void {
    if (entries.length === 0) return;
    this.send({ type: "logs", entries });
  }

  /** Sends a message to every terminal. */
  send(payload: ServerMessage): void {
    const message = JSON.stringify(payload);
    for (const socket of [...this.#ctx.getWebSockets(), ...this.#awake]) {
      try {
        socket.send(message);
      } catch {
        // A socket that is closing: its close handler cleans up.
      }
    }
  }
}
