/**
 * ProjectSupervisor: one Durable Object per project.
 *
 * Duties (each in its own module):
 * - keep the project's versions, token hash and variables in its own SQLite (store.ts, tables.mjs);
 * - let callers in: `open(credential)` checks (access.ts) and returns the project's operations
 *   (project-handle.ts);
 * - compile new code (compile.ts), load and probe it (loader.ts), then hot-swap it into the facet
 *   "app" and serve the app's requests through it, with `x-app-version` (app-host.ts, swap-gate.ts);
 * - run the SQL console inside the facet (sql-console.ts);
 * - hold the app's alarm (app-alarms.ts);
 * - keep the log ring (log-ring.ts) and stream it to the project's terminals (terminal-sockets.ts),
 *   from the app's responses and the LogBridge entrypoint (app-logs.ts).
 *
 * The worker authenticates nothing itself: it passes the SHA-256 of the caller's token to `open`,
 * which checks it (access.ts) and hands back a ProjectHandle (project-handle.ts), the only way to
 * the project's operations. The bridges' methods below take no credential: only the app's own
 * AlarmBridge and LogBridge call them, with the project fixed by their props.
 */
import { DurableObject } from "cloudflare:workers";
import type { PutCodeRequest, PutCodeResponse } from "../../shared/api";
import type { LogEntry, NewLogEntry } from "../../shared/logs";
import { TERMINAL_HOST, TOKEN_HASH_HEADER } from "../internal";
import { failure, type Outcome, success } from "../outcome";
import { admit, type Credential } from "./access";
import { AppAlarms } from "./app-alarms";
import { AppHost } from "./app-host";
import { appLogEntries } from "./app-logs";
import { ExceptionHints, namespaceCallsIn } from "./app-model";
import { compileProject } from "./compile";
import { contentHash } from "./hashing";
import { AppLoader } from "./loader";
import { LogRing } from "./log-ring";
import { ProjectHandle, type ProjectParts } from "./project-handle";
import { SqlConsole } from "./sql-console";
import { type ProjectSummary, SupervisorStore } from "./store";
import { TerminalSockets } from "./terminal-sockets";

export class ProjectSupervisor extends DurableObject<Env> {
  #store: SupervisorStore;
  #app: AppHost;
  #loader: AppLoader;
  #sockets: TerminalSockets;
  #alarms: AppAlarms;
  #logs: LogRing;
  #hints = new ExceptionHints();
  #parts: ProjectParts;
  /** Saves run one at a time, so version numbers and swaps follow the order of the saves. */
  #saving: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new SupervisorStore(ctx.storage);
    this.#logs = new LogRing(ctx.storage.sql, (written) => {
      const requests = written.filter((e) => e.kind === "request");
      const errors = requests.filter((e) => e.outcome !== "ok" || (e.status ?? 500) >= 500);
      this.#store.addCounters(requests.length, errors.length);
    });
    this.#loader = new AppLoader(ctx, env, this.#store);
    this.#app = new AppHost(ctx, env, this.#store, this.#loader, (entries) => this.#record(entries));
    const sql = new SqlConsole(this.#app);
    this.#sockets = new TerminalSockets(ctx, this.#store, this.#logs, sql);
    this.#alarms = new AppAlarms(ctx, (entries) => this.#record(entries));
    this.#parts = {
      store: this.#store,
      app: this.#app,
      sql,
      save: (request) => this.#save(request),
      record: (entries) => this.#record(entries),
    };
  }

  async create(id: string, tokenHash: string, files: Record<string, string> | null): Promise<Outcome<ProjectSummary>> {
    if (this.#store.project) return failure(409, "conflict", `A project named '${id}' already exists`);
    this.#store.createProject(id, tokenHash, Date.now());
    if (files) {
      const saved = await this.#save({ files, main: "app.ts" });
      if (!saved.ok) console.error("template failed to save", JSON.stringify(saved.error));
    }
    return success(this.#store.summary()!);
  }

  /**
   * The project's API, for a caller whose credential opens it: the only way to its code, versions,
   * database and variables (the terminal socket is checked by the same `admit`).
   */
  async open(credential: Credential): Promise<Outcome<ProjectHandle>> {
    return admit(this.#store.project, credential) ?? success(new ProjectHandle(this.#parts));
  }

  // The app's alarm, reached through the AlarmBridge entrypoint (see app-alarms.ts).
  async appSetAlarm(time: number): Promise<void> {
    await this.#alarms.set(time);
  }

  async appGetAlarm(): Promise<number | null> {
    return this.#alarms.get();
  }

  async appDeleteAlarm(): Promise<void> {
    await this.#alarms.delete();
  }

  override async alarm(): Promise<void> {
    await this.#alarms.fire(this.#store.project?.currentVersion ?? null, (info) => this.#app.runAlarm(info));
  }

  /** Called by the LogBridge entrypoint with console lines and exceptions no response carried. */
  async appendLogs(codeId: string, entries: NewLogEntry[]): Promise<void> {
    const version = this.#store.versionOfCode(codeId);
    this.#record(entries.map((e) => ({ ...e, version: e.version ?? version })));
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.hostname === TERMINAL_HOST) {
      const tokenHash = request.headers.get(TOKEN_HASH_HEADER) ?? "";
      const denied = admit(this.#store.project, { kind: "token", tokenHash });
      if (denied) return Response.json({ error: denied.error }, { status: denied.status });
      return this.#sockets.accept();
    }
    if (!this.#store.project) {
      return new Response(`No project is called '${url.hostname.split(".")[0]}'.\n`, {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    return this.#app.serve(request);
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.#sockets.onMessage(socket, message);
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    try {
      socket.close(code === 1005 ? 1000 : code, "closing");
    } catch {
      // Already closed.
    }
  }

  #record(entries: NewLogEntry[]): LogEntry[] {
    const stored = this.#logs.append(this.#hints.add(entries));
    this.#sockets.broadcast(stored);
    return stored;
  }

  #save(request: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    const run = this.#saving.then(() => this.#saveNow(request));
    this.#saving = run.catch(() => {});
    return run;
  }

  async #saveNow({ files, main: requestedMain, baseVersion }: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    const project = this.#store.project;
    if (!project) return failure(404, "not_found", "No such project");
    const names = Object.keys(files);
    const main = requestedMain ?? (names.includes("app.ts") ? "app.ts" : names.length === 1 ? names[0] : undefined);
    if (!main || !Object.hasOwn(files, main)) {
      return failure(400, "bad_request", main ? `main '${main}' is not one of the files` : "say which file is main");
    }
    if (main.endsWith(".json")) return failure(400, "bad_request", "main must be a .ts or .js file");

    const hash = await contentHash({ main, files });
    const codeId = `${project.id}:${hash.slice(0, 32)}`;
    const warnings = namespaceCallsIn(files);
    const current = this.#store.currentVersion();
    if (current && current.contentHash === hash) {
      return success({ version: current.version, codeId: current.codeId, created: false, warnings });
    }

    const live = project.currentVersion ?? null;
    if (baseVersion !== undefined && baseVersion !== live) {
      return failure(
        409,
        "conflict",
        `v${live} was saved elsewhere after ${baseVersion === null ? "the project was created" : `v${baseVersion}`}; load it, or save without baseVersion to replace it`,
        { liveVersion: live },
      );
    }

    const compiled = await compileProject(files, main);
    const { diagnostics, startupLogs } = compiled.ok
      ? await this.#loader.probe(codeId, compiled, main, files[main] ?? "")
      : { diagnostics: compiled.diagnostics, startupLogs: [] };
    if (diagnostics.length > 0) {
      const first = diagnostics[0];
      const message = `${first?.file}:${first?.line}:${first?.column} ${first?.message}`;
      this.#record([{ kind: "save-error", at: Date.now(), version: project.currentVersion, message, diagnostics }]);
      return failure(422, "compile_error", `The code was not deployed: ${message}`, { diagnostics });
    }

    const version = this.#store.nextVersionNumber();
    this.#store.addVersion({ version, codeId, contentHash: hash, main, files, createdAt: Date.now() });
    await this.#app.swap(version);
    const at = Date.now();
    this.#record([
      { kind: "deploy", at, version, codeId },
      ...(appLogEntries(startupLogs, version) ?? []),
      ...warnings.map((w) => ({
        kind: "system" as const,
        level: "warn" as const,
        at,
        version,
        message: `${w.file}:${w.line}:${w.column} ${w.message}`,
      })),
    ]);
    return success({ version, codeId, created: true, warnings });
  }
}
