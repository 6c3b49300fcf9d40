/**
 * The project's terminal WebSocket: validated messages, SQL requests matched to their answers,
 * a heartbeat that notices dead connections, and reconnection with backoff after any drop.
 */
import type { LogEntry } from "../../shared/logs";
import type { MeterSnapshot } from "../../shared/metrics";
import { type ClientMessage, readServerMessage, SOCKET_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from "../../shared/protocol";
import type { SqlParam, SqlResult, SqlTarget } from "../../shared/sql";

export type SocketStatus =
  | { state: "connecting"; attempt: number }
  | { state: "open" }
  | { state: "waiting"; attempt: number; retryAt: number; reason: string }
  | { state: "stopped"; reason: string };

export interface SocketEvents {
  status(status: SocketStatus): void;
  hello(version: number | null, history: LogEntry[]): void;
  logs(entries: LogEntry[]): void;
  /** The app's requests a minute, database size and limits reached. */
  meter(snapshot: MeterSnapshot): void;
  /** The server rejected a message, or sent one this client does not understand. */
  problem(message: string): void;
}

export class SqlError extends Error {
  override name = "SqlError";
}

const HEARTBEAT_MS = 20_000;
const PONG_TIMEOUT_MS = 8_000;
const MAX_BACKOFF_MS = 10_000;
const SQL_TIMEOUT_MS = 60_000;

interface Pending {
  resolve(result: SqlResult): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class ProjectSocket {
  #url: string;
  #token: string;
  #events: SocketEvents;
  /** Asked after a failed connection: a reason to give up (bad token, deleted project), or null to retry. */
  #fatal: () => Promise<string | null>;
  #ws: WebSocket | null = null;
  #attempt = 0;
  #stopped = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #pongDeadline: ReturnType<typeof setTimeout> | undefined;
  #pending = new Map<string, Pending>();
  #nextId = 1;
  #onOnline = () => this.reconnectNow();

  constructor(url: string, token: string, events: SocketEvents, fatal: () => Promise<string | null>) {
    this.#url = url;
    this.#token = token;
    this.#events = events;
    this.#fatal = fatal;
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.#stopped = false;
    window.addEventListener("online", this.#onOnline);
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    window.removeEventListener("online", this.#onOnline);
    clearTimeout(this.#retryTimer);
    this.#teardown();
    this.#ws?.close(1000, "closed by the IDE");
    this.#ws = null;
  }

  /** Skips the rest of a backoff wait (the network came back, or the user asked). */
  reconnectNow(): void {
    if (this.#stopped || this.#ws) return;
    clearTimeout(this.#retryTimer);
    this.#connect();
  }

  sql(sql: string, params?: SqlParam[], target: SqlTarget = "live", object: string | null = null): Promise<SqlResult> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error("not connected"));
    const id = String(this.#nextId++);
    return new Promise<SqlResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no answer after ${SQL_TIMEOUT_MS / 1000} s`));
      }, SQL_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#send({
        type: "sql",
        id,
        sql,
        ...(params ? { params } : {}),
        ...(target === "draft" ? { target } : {}),
        ...(object !== null ? { object } : {}),
      });
    });
  }

  #send(message: ClientMessage): void {
    try {
      this.#ws?.send(JSON.stringify(message));
    } catch {
      // The close handler deals with a socket that died under us.
    }
  }

  #connect(): void {
    this.#events.status({ state: "connecting", attempt: this.#attempt });
    let opened = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url, [SOCKET_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${this.#token}`]);
    } catch (error) {
      this.#events.status({ state: "stopped", reason: `cannot open a WebSocket: ${String(error)}` });
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      opened = true;
      this.#startHeartbeat();
    };
    ws.onmessage = (event) => this.#receive(event.data);
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#teardown();
      if (this.#stopped) return;
      const reason = opened ? `connection closed (${event.code})` : "could not connect";
      void this.#scheduleRetry(reason, opened);
    };
  }

  async #scheduleRetry(reason: string, wasOpen: boolean): Promise<void> {
    if (!wasOpen) {
      const fatal = await this.#fatal().catch(() => null);
      if (this.#stopped) return;
      if (fatal) {
        this.#stopped = true;
        this.#events.status({ state: "stopped", reason: fatal });
        return;
      }
    }
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.#attempt);
    // Jitter keeps many tabs from hammering a restarted server in lockstep.
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.#attempt++;
    this.#events.status({ state: "waiting", attempt: this.#attempt, retryAt: Date.now() + delay, reason });
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #receive(data: unknown): void {
    this.#gotSign();
    if (typeof data !== "string") {
      this.#events.problem("the server sent a binary message");
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.#events.problem("the server sent a message that is not JSON");
      return;
    }
    const parsed = readServerMessage(json);
    if (!parsed.ok) {
      this.#events.problem(`unexpected message from the server: ${parsed.error}`);
      return;
    }
    if (parsed.dropped > 0) {
      const n = parsed.dropped;
      this.#events.problem(
        `${n} log line${n === 1 ? "" : "s"} from the server could not be read and ${n === 1 ? "is" : "are"} not shown`,
      );
    }
    const message = parsed.message;
    switch (message.type) {
      case "hello":
        this.#attempt = 0;
        this.#events.status({ state: "open" });
        this.#events.hello(message.version, message.history);
        return;
      case "logs":
        this.#events.logs(message.entries);
        return;
      case "meter":
        this.#events.meter(message.meter);
        return;
      case "sql-result":
      case "sql-error": {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.type === "sql-result") pending.resolve(message.result);
        else pending.reject(new SqlError(message.message));
        return;
      }
      case "pong":
        return;
      case "error":
        this.#events.problem(message.message);
        return;
    }
  }

  #startHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      this.#send({ type: "ping" });
      clearTimeout(this.#pongDeadline);
      this.#pongDeadline = setTimeout(() => this.#abandon("no answer to ping"), PONG_TIMEOUT_MS);
    }, HEARTBEAT_MS);
  }

  /** A silent connection may take minutes to report its death; stop waiting for it and dial again. */
  #abandon(reason: string): void {
    const ws = this.#ws;
    if (!ws) return;
    this.#ws = null;
    this.#teardown();
    ws.close(4000, reason);
    void this.#scheduleRetry(reason, true);
  }

  /** Any message proves the connection alive. */
  #gotSign(): void {
    clearTimeout(this.#pongDeadline);
  }

  #teardown(): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#pongDeadline);
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error("the connection dropped before the answer came; the statement may have run"));
      this.#pending.delete(id);
    }
  }
}
