/**
 * The project's terminal WebSockets (hibernatable, so idle terminals cost nothing): history on
 * connect, new log lines as they come, and SQL console requests.
 */
import { LIMITS } from "../../shared/api";
import type { LogEntry } from "../../shared/logs";
import { ClientMessage, type ServerMessage, SOCKET_PROTOCOL } from "../../shared/protocol";
import type { LogRing } from "./log-ring";
import type { SqlConsole } from "./sql-console";
import type { SupervisorStore } from "./store";

export class TerminalSockets {
  #ctx: DurableObjectState;
  #store: SupervisorStore;
  #logs: LogRing;
  #sql: SqlConsole;
  /** Sent after hello: the status bar's meter. */
  #greeting: () => ServerMessage | null;

  constructor(
    ctx: DurableObjectState,
    store: SupervisorStore,
    logs: LogRing,
    sql: SqlConsole,
    greeting: () => ServerMessage | null = () => null,
  ) {
    this.#ctx = ctx;
    this.#store = store;
    this.#logs = logs;
    this.#sql = sql;
    this.#greeting = greeting;
  }

  accept(): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.#ctx.acceptWebSocket(server);
    send(server, {
      type: "hello",
      projectId: this.#store.project?.id ?? "",
      version: this.#store.project?.currentVersion ?? null,
      history: this.#logs.recent(),
    });
    const greeting = this.#greeting();
    if (greeting) send(server, greeting);
    return new Response(null, {
      status: 101,
      webSocket: client,
      headers: { "sec-websocket-protocol": SOCKET_PROTOCOL },
    });
  }

  /** Terminals connected now. */
  get count(): number {
    return this.#ctx.getWebSockets().length;
  }

  broadcast(entries: LogEntry[]): void {
    if (entries.length === 0) return;
    this.send({ type: "logs", entries });
  }

  /** Sends a message to every terminal. */
  send(payload: ServerMessage): void {
    const message = JSON.stringify(payload);
    for (const socket of this.#ctx.getWebSockets()) {
      try {
        socket.send(message);
      } catch {
        // A socket that is closing: its close handler cleans up.
      }
    }
  }

  async onMessage(socket: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const size = typeof raw === "string" ? raw.length : raw.byteLength;
    if (size > LIMITS.maxSocketMessageBytes) {
      return send(socket, {
        type: "error",
        message: `message too large (${size} bytes; limit ${LIMITS.maxSocketMessageBytes})`,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw));
    } catch {
      return send(socket, { type: "error", message: "message is not valid JSON" });
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      return send(socket, {
        type: "error",
        message: `invalid message: ${parsed.error.issues[0]?.message ?? "unknown"}`,
      });
    }
    const message = parsed.data;
    switch (message.type) {
      case "ping":
        return send(socket, { type: "pong" });
      case "sql": {
        const outcome = await this.#sql.run(message);
        if (outcome.ok) return send(socket, { type: "sql-result", id: message.id, result: outcome.value });
        return send(socket, { type: "sql-error", id: message.id, message: outcome.error.message });
      }
    }
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  try {
    socket.send(JSON.stringify(message));
  } catch {
    // Closed while we worked; nothing to tell.
  }
}
