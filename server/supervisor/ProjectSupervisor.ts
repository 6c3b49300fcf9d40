/**
 * ProjectSupervisor: one Durable Object per project.
 *
 * Duties (each in its own module):
 * - keep the project's versions, token hash and log ring in its own SQLite (store.ts);
 * - compile and probe new code, then hot-swap it into the facet "app" (compile.ts, app-host.ts);
 * - serve the app's requests through the facet, with `x-app-version` (app-host.ts);
 * - run the SQL console inside the facet (app-host.ts);
 * - stream logs to the project's terminals (terminal-sockets.ts), from the app's responses and the
 *   LogBridge entrypoint (app-logs.ts).
 *
 * The worker authenticates nothing itself: every RPC here takes the SHA-256 of the caller's token
 * and checks it against the stored hash in constant time.
 */
import { DurableObject } from "cloudflare:workers";
import {
  type CodeResponse,
  type EnvResponse,
  LIMITS,
  type ProjectInfo,
  type PutCodeRequest,
  type PutCodeResponse,
  type SetEnvVarRequest,
  type SqlRequest,
  type VersionsResponse,
} from "../../shared/api";
import type { LogEntry, NewLogEntry } from "../../shared/logs";
import type { SqlResult } from "../../shared/sql";
import { TERMINAL_HOST, TOKEN_HASH_HEADER } from "../internal";
import { type Failure, failure, type Outcome, success } from "../outcome";
import { AppAlarms } from "./app-alarms";
import { AppHost } from "./app-host";
import { appLogEntries } from "./app-logs";
import { ExceptionHints, namespaceCallsIn } from "./app-model";
import { compileProject } from "./compile";
import { contentHash, hashesEqual } from "./hashing";
import { LogRing } from "./log-ring";
import { SupervisorStore } from "./store";
import { sqlErrorMessage, TerminalSockets } from "./terminal-sockets";

/** What the API's `ProjectInfo` says, less the preview URL (the worker knows the origin). */
export type ProjectSummary = Omit<ProjectInfo, "previewUrl">;

export class ProjectSupervisor extends DurableObject<Env> {
  #store: SupervisorStore;
  #app: AppHost;
  #sockets: TerminalSockets;
  #alarms: AppAlarms;
  #logs: LogRing;
  #hints = new ExceptionHints();
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
    this.#app = new AppHost(ctx, env, this.#store, (entries) => this.#record(entries));
    this.#sockets = new TerminalSockets(ctx, this.#store, this.#logs);
    this.#alarms = new AppAlarms(ctx, (entries) => this.#record(entries));
  }

  async create(id: string, tokenHash: string, files: Record<string, string> | null): Promise<Outcome<ProjectSummary>> {
    if (this.#store.project) return failure(409, "conflict", `A project named '${id}' already exists`);
    this.#store.createProject(id, tokenHash, Date.now());
    if (files) {
      const saved = await this.#save({ files, main: "app.ts" });
      if (!saved.ok) console.error("template failed to save", JSON.stringify(saved.error));
    }
    return success(this.#summary());
  }

  async info(tokenHash: string): Promise<Outcome<ProjectSummary>> {
    return this.#authorize(tokenHash) ?? success(this.#summary());
  }

  async getCode(tokenHash: string): Promise<Outcome<CodeResponse>> {
    const denied = this.#authorize(tokenHash);
    if (denied) return denied;
    const current = this.#store.currentVersion();
    return success({ version: current?.version ?? null, main: current?.main ?? "app.ts", files: current?.files ?? {} });
  }

  async listVersions(tokenHash: string): Promise<Outcome<VersionsResponse>> {
    return this.#authorize(tokenHash) ?? success({ versions: this.#store.listVersions() });
  }

  /** One stored version's code, for the IDE's history (to compare with, or to restore). */
  async getVersion(tokenHash: string, version: number): Promise<Outcome<CodeResponse>> {
    const denied = this.#authorize(tokenHash);
    if (denied) return denied;
    const row = this.#store.version(version);
    if (!row) return failure(404, "not_found", `No version ${version}`);
    return success({ version: row.version, main: row.main, files: row.files });
  }

  async putCode(tokenHash: string, request: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    return this.#authorize(tokenHash) ?? this.#save(request);
  }

  async sql(tokenHash: string, request: SqlRequest): Promise<Outcome<SqlResult>> {
    const denied = this.#authorize(tokenHash);
    if (denied) return denied;
    try {
      return success(await this.#app.sql(request.sql, request.params ?? []));
    } catch (error) {
      return failure(400, "sql_error", sqlErrorMessage(error));
    }
  }

  async listEnv(tokenHash: string): Promise<Outcome<EnvResponse>> {
    return this.#authorize(tokenHash) ?? success({ vars: this.#store.listEnv() });
  }

  /** Sets a variable; the next request runs with it (the facet restarts, the code stays). */
  async setEnv(tokenHash: string, name: string, request: SetEnvVarRequest): Promise<Outcome<EnvResponse>> {
    const denied = this.#authorize(tokenHash);
    if (denied) return denied;
    const existing = this.#store.listEnv();
    if (!existing.some((v) => v.name === name) && existing.length >= LIMITS.maxEnvVars) {
      return failure(400, "bad_request", `A project has at most ${LIMITS.maxEnvVars} variables`);
    }
    const before = this.#store.appEnv().hash;
    this.#store.setEnv(name, request.value, request.secret ?? false);
    await this.#envChanged(before, `${request.secret ? "secret" : "variable"} ${name} set`);
    return success({ vars: this.#store.listEnv() });
  }

  async deleteEnv(tokenHash: string, name: string): Promise<Outcome<EnvResponse>> {
    const denied = this.#authorize(tokenHash);
    if (denied) return denied;
    const before = this.#store.appEnv().hash;
    if (!this.#store.deleteEnv(name)) return failure(404, "not_found", `No variable named ${name}`);
    await this.#envChanged(before, `variable ${name} deleted`);
    return success({ vars: this.#store.listEnv() });
  }

  async #envChanged(hashBefore: string, what: string): Promise<void> {
    if (this.#store.appEnv().hash === hashBefore) return;
    const version = this.#store.project?.currentVersion ?? null;
    await this.#app.swap(version, `The app restarted because ${what}`);
    this.#record([
      { kind: "system", level: "info", at: Date.now(), version, message: `${what}; the next request sees it` },
    ]);
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
      const denied = this.#authorize(request.headers.get(TOKEN_HASH_HEADER) ?? "");
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
    await this.#sockets.onMessage(socket, message, (sql, params) => this.#app.sql(sql, params));
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

  #authorize(tokenHash: string): Failure | null {
    const project = this.#store.project;
    if (!project) return failure(404, "not_found", "No such project");
    if (!hashesEqual(tokenHash, project.tokenHash))
      return failure(403, "forbidden", "This token does not open this project");
    return null;
  }

  #summary(): ProjectSummary {
    const project = this.#store.project;
    if (!project) throw new Error("no project");
    return {
      id: project.id,
      version: project.currentVersion,
      codeId: this.#store.currentVersion()?.codeId ?? null,
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
      requests: project.requests,
      errors: project.errors,
    };
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
      ? await this.#app.probe(codeId, compiled, main, files[main] ?? "")
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
