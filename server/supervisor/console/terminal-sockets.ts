/**
 * The project's terminal WebSockets: accepted with the history, then SQL console requests from them
 * (new log lines reach them through Terminals, terminals.ts).
 *
 * Deployed, they are hibernatable, so idle terminals cost nothing. Locally (ENVIRONMENT
 * "development") they are accepted and stay awake: every message to a hibernatable socket is an event
 * of its own, about 0.35 ms of the runtime each under `wrangler dev` and 1.5 ms under `vite dev`, and
 * messages already on their way are delivered after the socket is closed, so 15,000 of them held the
 * runtime every project shares for 5 s and more; on an accepted socket they cost the runtime 0.26 s.
 *
 * Tables: none (console's one table is the log ring's, log-ring.ts).
 */
import { LIMITS, type SqlRequest } from "../../../shared/api";
import type { LogEntry } from "../../../shared/logs";
import { ClientMessage, type ServerMessage, SOCKET_PROTOCOL } from "../../../shared/protocol";
import type { SqlResult } from "../../../shared/sql";
import type { Outcome } from "../../outcome";
import type { ProjectRow } from "../versions/store";
import type { Terminals } from "./terminals";

/**
 * Messages a terminal socket may send: a burst of this many, refilled at RATE_PER_S. A person typing
 * SQL stays far below (pings are answered by the runtime itself, see ProjectSupervisor); a script
 * sending thousands of messages held the supervisor, and the runtime with it, for seconds. Past the
 * bucket, messages are dropped unread; a socket that keeps sending after DROPS_BEFORE_CLOSE drops is
 * closed (1008, policy violation).
 */
const BURST = 60;
const RATE_PER_S = 30;
const DROPS_BEFORE_CLOSE = 100;
const POLICY_VIOLATION = 1008;

interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
  toldAt: number;
}

/** What a terminal socket works with: each a narrow view of the capability that has it. */
export interface TerminalParts {
  ctx: DurableObjectState;
  /** The terminals connected now (an awake socket is listed there). */
  terminals: Terminals;
  /** The project, for the hello. */
  store: { readonly project: ProjectRow | null };
  /** The log ring's recent lines, for the hello's history. */
  logs: { recent(): LogEntry[] };
  /** The SQL console, for the terminal's `sql` messages. */
  sql: { run(request: SqlRequest): Promise<Outcome<SqlResult>> };
  /** Whether sockets hibernate (deployed) or are accepted awake (locally). */
  hibernate: boolean;
  /** Sent after hello: the status bar's meter. */
  greeting(): ServerMessage | null;
}

export class TerminalSockets {
  /** Per socket; kept in memory only (a supervisor that restarts starts every socket afresh). */
  #buckets = new WeakMap<WebSocket, Bucket>();
  #parts: TerminalParts;

  constructor(parts: TerminalParts) {
    this.#parts = parts;
  }

  accept(): Response {
    const { ctx, terminals, store, logs } = this.#parts;
    const { 0: client, 1: server } = new WebSocketPair();
    if (this.#parts.hibernate) {
      ctx.acceptWebSocket(server);
    } else {
      server.accept();
      terminals.addAwake(server);
      server.addEventListener("message", (event) => void this.onMessage(server, event.data));
      server.addEventListener("close", (event) => {
        terminals.forget(server);
        closeBack(server, event.code);
      });
      server.addEventListener("error", () => terminals.forget(server));
    }
    send(server, {
      type: "hello",
      projectId: store.project?.id ?? "",
      version: store.project?.currentVersion ?? null,
      history: logs.recent(),
    });
    const greeting = this.#parts.greeting();
    if (greeting) send(server, greeting);
    return new Response(null, {
      status: 101,
      webSocket: client,
      headers: { "sec-websocket-protocol": SOCKET_PROTOCOL },
    });
  }

  async onMessage(socket: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    if (!this.#admit(socket)) return;
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
        const outcome = await this.#parts.sql.run(message);
        if (outcome.ok) return send(socket, { type: "sql-result", id: message.id, result: outcome.value });
        return send(socket, { type: "sql-error", id: message.id, message: outcome.error.message });
      }
    }
  }

  /** Whether the socket may send this message now (the bucket above); says so, or closes it, when not. */
  #admit(socket: WebSocket): boolean {
    const now = Date.now();
    let bucket = this.#buckets.get(socket);
    if (!bucket) {
      bucket = { tokens: BURST, at: now, dropped: 0, toldAt: 0 };
      this.#buckets.set(socket, bucket);
    }
    bucket.tokens = Math.min(BURST, bucket.tokens + ((now - bucket.at) / 1000) * RATE_PER_S);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    bucket.dropped++;
    if (bucket.dropped === DROPS_BEFORE_CLOSE) {
      try {
        socket.close(POLICY_VIOLATION, "too many messages");
      } catch {
        // Already closing.
      }
    } else if (bucket.dropped < DROPS_BEFORE_CLOSE && now - bucket.toldAt > 1000) {
      bucket.toldAt = now;
      send(socket, {
        type: "error",
        message: `too many messages: at most ${RATE_PER_S} a second (${bucket.dropped} dropped)`,
      });
    }
    return false;
  }
}

/** Completes a close the client started (its code echoed; 1005, no code given, becomes 1000). */
export function closeBack(socket: WebSocket, code: number): void {
  try {
    socket.close(code === 1005 ? 1000 : code, "closing");
  } catch {
    // Already closed.
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  try {
    socket.send(JSON.stringify(message));
  } catch {
    // Closed while we worked; nothing to tell.
  }
}
