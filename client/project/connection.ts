/**
 * One project's live link to its supervisor, shared by the panes: the socket's status, the live
 * version as the server reports it (hello, deploy lines), and the log stream, kept so a pane that
 * subscribes late still sees the history.
 */
import type { LogEntry } from "../../shared/logs";
import type { MeterSnapshot } from "../../shared/metrics";
import type { SqlParam, SqlResult, SqlTarget } from "../../shared/sql";
import { ApiError, api, socketUrl } from "../lib/api";
import { ProjectSocket, type SocketStatus, SqlError } from "../lib/project-socket";

export type ConnectionEvent =
  | { type: "status"; status: SocketStatus }
  | { type: "entries"; entries: LogEntry[]; fromHello: boolean }
  | { type: "problem"; message: string }
  /** Lines this client adds to the terminal (what a save it made installed, say), styled already. */
  | { type: "note"; lines: string[] };

const BACKLOG = 1000;

export class ProjectConnection {
  readonly id: string;
  readonly #token: string;
  #socket: ProjectSocket;
  #backlog: LogEntry[] = [];
  #listeners = new Set<(event: ConnectionEvent) => void>();
  status: SocketStatus = { state: "connecting", attempt: 0 };
  /** The newest version the server has told us is live. */
  liveVersion: number | null = null;
  /** The app's requests a minute, database size and limits reached, as the server last said. */
  meter: MeterSnapshot | null = null;
  #versionListeners = new Set<() => void>();

  constructor(id: string, token: string) {
    this.id = id;
    this.#token = token;
    this.#socket = new ProjectSocket(
      socketUrl(id),
      token,
      {
        status: (status) => {
          this.status = status;
          this.#emit({ type: "status", status });
          this.#notifyVersion();
        },
        hello: (version, history) => {
          this.noteVersion(version);
          this.#keep(history, true);
        },
        logs: (entries) => {
          for (const e of entries) if (e.kind === "deploy") this.noteVersion(e.version);
          this.#keep(entries, false);
        },
        meter: (snapshot) => {
          this.meter = snapshot;
          this.#notifyVersion();
        },
        problem: (message) => this.#emit({ type: "problem", message }),
      },
      () => this.#whyNot(),
    );
  }

  start(): void {
    this.#socket.start();
  }

  stop(): void {
    this.#socket.stop();
    this.#listeners.clear();
    this.#versionListeners.clear();
  }

  reconnectNow(): void {
    this.#socket.reconnectNow();
  }

  /** Versions only move forward; an older number (a late message) is ignored. */
  noteVersion(version: number | null): void {
    if (version === null || (this.liveVersion !== null && version <= this.liveVersion)) return;
    this.liveVersion = version;
    this.#notifyVersion();
  }

  /** Events from now on, after a replay of the history received so far. */
  listen(listener: (event: ConnectionEvent) => void): () => void {
    this.#listeners.add(listener);
    listener({ type: "status", status: this.status });
    if (this.#backlog.length > 0) listener({ type: "entries", entries: [...this.#backlog], fromHello: true });
    return () => this.#listeners.delete(listener);
  }

  /** Prints `lines` in the terminal (they are this client's, not the project's history). */
  note(lines: string[]): void {
    if (lines.length > 0) this.#emit({ type: "note", lines });
  }

  /** A Worker project's objects (an App project: worker false, none). */
  objects() {
    return api.objects(this.id, this.#token);
  }

  /** For useSyncExternalStore: changes of status, live version or meter. */
  subscribe = (listener: () => void): (() => void) => {
    this.#versionListeners.add(listener);
    return () => this.#versionListeners.delete(listener);
  };

  /** SQL over the socket; over HTTP while the socket is down, so the console keeps working. */
  /** `object`: a Worker project's object to run it on (null: the App, or the object the app uses most). */
  async sql(
    sql: string,
    params?: SqlParam[],
    target: SqlTarget = "live",
    object: string | null = null,
  ): Promise<SqlResult> {
    if (this.#socket.isOpen) return this.#socket.sql(sql, params, target, object);
    try {
      const body = { sql, ...(params ? { params } : {}), target, ...(object !== null ? { object } : {}) };
      return await api.sql(this.id, this.#token, body);
    } catch (error) {
      if (error instanceof ApiError && error.code === "sql_error") throw new SqlError(error.message);
      throw error;
    }
  }

  #keep(entries: LogEntry[], fromHello: boolean): void {
    const lastSeq = this.#backlog[this.#backlog.length - 1]?.seq ?? -1;
    this.#backlog = this.#backlog.concat(entries.filter((e) => e.seq > lastSeq)).slice(-BACKLOG);
    this.#emit({ type: "entries", entries, fromHello });
  }

  #emit(event: ConnectionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #notifyVersion(): void {
    for (const listener of this.#versionListeners) listener();
  }

  /** After a failed connection: a reason to stop retrying, or null when retrying makes sense. */
  async #whyNot(): Promise<string | null> {
    try {
      await api.project(this.id, this.#token);
      return null;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 403 || error.status === 404 || error.status === 401)) {
        return error.message;
      }
      return null;
    }
  }
}
