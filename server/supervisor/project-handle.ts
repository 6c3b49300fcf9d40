/**
 * A project as a client of the API sees it, once opened. The supervisor's `open(credential)` hands
 * one out only after `admit` accepted the credential, so no method here checks anything: a method
 * added here is authorized by construction. It crosses the RPC boundary as a stub (an RpcTarget).
 */
import { RpcTarget } from "cloudflare:workers";
import {
  type CodeResponse,
  type EnvResponse,
  LIMITS,
  type PutCodeRequest,
  type PutCodeResponse,
  type SetEnvVarRequest,
  type SqlRequest,
  type VersionsResponse,
} from "../../shared/api";
import type { NewLogEntry } from "../../shared/logs";
import type { SqlResult } from "../../shared/sql";
import { failure, type Outcome, success } from "../outcome";
import type { AppHost } from "./app-host";
import type { SqlConsole } from "./sql-console";
import type { ProjectSummary, SupervisorStore } from "./store";

/** What a handle works with: the supervisor's parts, shared by every handle it opens. */
export interface ProjectParts {
  store: SupervisorStore;
  app: AppHost;
  sql: SqlConsole;
  /** Saves are queued by the supervisor, so they run one at a time whoever asks. */
  save(request: PutCodeRequest): Promise<Outcome<PutCodeResponse>>;
  record(entries: NewLogEntry[]): void;
}

export class ProjectHandle extends RpcTarget {
  #parts: ProjectParts;

  constructor(parts: ProjectParts) {
    super();
    this.#parts = parts;
  }

  info(): Outcome<ProjectSummary> {
    const summary = this.#parts.store.summary();
    return summary ? success(summary) : failure(404, "not_found", "No such project");
  }

  getCode(): Outcome<CodeResponse> {
    const current = this.#parts.store.currentVersion();
    return success({ version: current?.version ?? null, main: current?.main ?? "app.ts", files: current?.files ?? {} });
  }

  listVersions(): Outcome<VersionsResponse> {
    return success({ versions: this.#parts.store.listVersions() });
  }

  /** One stored version's code, for the IDE's history (to compare with, or to restore). */
  getVersion(version: number): Outcome<CodeResponse> {
    const row = this.#parts.store.version(version);
    if (!row) return failure(404, "not_found", `No version ${version}`);
    return success({ version: row.version, main: row.main, files: row.files });
  }

  putCode(request: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    return this.#parts.save(request);
  }

  sql(request: SqlRequest): Promise<Outcome<SqlResult>> {
    return this.#parts.sql.run(request);
  }

  listEnv(): Outcome<EnvResponse> {
    return success({ vars: this.#parts.store.listEnv() });
  }

  /** Sets a variable; the next request runs with it (the facet restarts, the code stays). */
  async setEnv(name: string, request: SetEnvVarRequest): Promise<Outcome<EnvResponse>> {
    const { store } = this.#parts;
    const existing = store.listEnv();
    if (!existing.some((v) => v.name === name) && existing.length >= LIMITS.maxEnvVars) {
      return failure(400, "bad_request", `A project has at most ${LIMITS.maxEnvVars} variables`);
    }
    const before = store.appEnv().hash;
    store.setEnv(name, request.value, request.secret ?? false);
    await this.#envChanged(before, `${request.secret ? "secret" : "variable"} ${name} set`);
    return success({ vars: store.listEnv() });
  }

  async deleteEnv(name: string): Promise<Outcome<EnvResponse>> {
    const { store } = this.#parts;
    const before = store.appEnv().hash;
    if (!store.deleteEnv(name)) return failure(404, "not_found", `No variable named ${name}`);
    await this.#envChanged(before, `variable ${name} deleted`);
    return success({ vars: store.listEnv() });
  }

  async #envChanged(hashBefore: string, what: string): Promise<void> {
    const { store, app, record } = this.#parts;
    if (store.appEnv().hash === hashBefore) return;
    const version = store.project?.currentVersion ?? null;
    await app.swap(version, `The app restarted because ${what}`);
    record([{ kind: "system", level: "info", at: Date.now(), version, message: `${what}; the next request sees it` }]);
  }
}
