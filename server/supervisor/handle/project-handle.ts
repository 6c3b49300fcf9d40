/**
 * A project as a client of the API sees it, once opened. The supervisor's `open(credential)` hands
 * one out only after `admit` accepted the credential, so no method here checks anything: a method
 * added here is authorized by construction. It crosses the RPC boundary as a stub (an RpcTarget).
 * Tables: none (it works through the capabilities in ProjectParts).
 */
import { RpcTarget } from "cloudflare:workers";
import {
  type AppRequest,
  type AppResponse,
  type AppTarget,
  type CodeResponse,
  type EnvResponse,
  LIMITS,
  type LogsQuery,
  type LogsResponse,
  type PutCodeRequest,
  type PutCodeResponse,
  type SetEnvVarRequest,
  type SqlRequest,
  type VersionsResponse,
} from "../../../shared/api";
import type { WebSocketAppRequest, WebSocketAppResponse } from "../../../shared/app-sockets";
import type { DataDump } from "../../../shared/dump";
import type { NewLogEntry } from "../../../shared/logs";
import type { LimitsResponse, MetricsResponse, MetricsWindow, PutLimitsRequest } from "../../../shared/metrics";
import type { NetworkPolicy, NetworkResponse } from "../../../shared/network/policy";
import type { ObjectsResponse } from "../../../shared/objects";
import type {
  PutRequestSettings,
  RecordedRequest,
  ReplayManyRequest,
  ReplayOneResponse,
  ReplayReport,
  RequestSettings,
  RequestsQuery,
  RequestsResponse,
} from "../../../shared/requests";
import type { SqlResult } from "../../../shared/sql";
import type {
  DraftCodeRequest,
  DraftCodeResponse,
  DraftInfo,
  ProjectBundle,
  PromoteDraftResponse,
  RestoreResponse,
  SetSnapshotSettingsRequest,
  SnapshotNowResponse,
  SnapshotsResponse,
} from "../../../shared/time-travel";
import { DATA_SIZE_METHOD } from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import type { AppHost, Target } from "../app-host/app-host";
import type { LogRing } from "../console/log-ring";
import type { SqlConsole } from "../console/sql-console";
import type { DataBrowser } from "../data/data-browser";
import type { Metering } from "../metering/metering";
import { describeNetwork, type NetworkParts, putNetwork } from "../network/network-api";
import type { ObjectAlarms } from "../objects/object-alarms";
import { objectLabel } from "../objects/object-reference";
import type { ObjectRegistry } from "../objects/objects";
import type { RequestRecorder } from "../requests/recorder";
import { RequestReplay } from "../requests/replay";
import type { RequestTable } from "../requests/request-table";
import type { Drafts } from "../time-travel/drafts";
import { takeDump } from "../time-travel/dump";
import type { Snapshots } from "../time-travel/snapshots";
import type { CodeSaves } from "../versions/saves";
import type { ProjectSummary, SupervisorStore } from "../versions/store";
import { type AppOrigins, AppTraffic } from "./app-traffic";
import { projectBundle } from "./project-bundle";
import type { DeletedProject } from "./project-deletion";

/** What a handle works with: the supervisor's parts, shared by every handle it opens. */
export interface ProjectParts {
  store: SupervisorStore;
  app: AppHost;
  /** The draft's app (it serves a "no draft" answer while there is none). */
  draftApp: AppHost;
  sql: SqlConsole;
  /** Saves are queued, so they run one at a time whoever asks (restores and promotions too). */
  saves: CodeSaves;
  drafts: Drafts;
  snapshots: Snapshots;
  logs: LogRing;
  metering: Metering;
  /** The Data view on the App's database, or on a Worker project's object's. */
  data(target: Target): DataBrowser;
  /** The live app's objects (a Worker project's). */
  objects: ObjectRegistry;
  /** The live objects' alarms. */
  objectAlarms: ObjectAlarms;
  record(entries: NewLogEntry[]): void;
  /** The recorded requests (requests/), and the recorder, which knows what to redact. */
  requests: RequestTable;
  recorder: RequestRecorder;
  /** Deletes the project with everything it has (project-deletion.ts). */
  remove(): Promise<Outcome<DeletedProject>>;
  /** The network policy and the gateway's record of calls. */
  network: NetworkParts;
}

export class ProjectHandle extends RpcTarget {
  #parts: ProjectParts;

  constructor(parts: ProjectParts) {
    super();
    this.#parts = parts;
  }

  info(): Outcome<ProjectSummary> {
    const summary = this.#parts.store.summary();
    return summary ? success(summary) : failure("not_found", "No such project");
  }

  getCode(): Outcome<CodeResponse> {
    const current = this.#parts.store.currentVersion();
    return success({ version: current?.version ?? null, main: current?.main ?? "app.ts", files: current?.files ?? {} });
  }

  listVersions(): Outcome<VersionsResponse> {
    const { store, snapshots } = this.#parts;
    const dataOf = snapshots.all(store.project?.currentVersion ?? null);
    return success({ versions: store.listVersions().map((v) => ({ ...v, data: dataOf(v.version) })) });
  }

  /** Deletes the project for good; answers who could open it, for the worker to forget (project-deletion.ts). */
  deleteProject(): Promise<Outcome<DeletedProject>> {
    return this.#parts.remove();
  }

  /** One stored version's code, for the IDE's history (to compare with, or to restore). */
  getVersion(version: number): Outcome<CodeResponse> {
    const row = this.#parts.store.version(version);
    if (!row) return failure("not_found", `No version ${version}`);
    return success({ version: row.version, main: row.main, files: row.files });
  }

  putCode(request: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    return this.#parts.saves.save(request);
  }

  /** A new version with `version`'s code; with `data`, its snapshot replaces the database (undoably). */
  restore(version: number, data: boolean, object?: string): Promise<Outcome<RestoreResponse>> {
    return this.#parts.saves.restore(version, data, object);
  }

  /** Snapshot retention and use, and whether the live database fits the budget (asked before a save). */
  async snapshots(): Promise<Outcome<SnapshotsResponse>> {
    const { app, snapshots, store } = this.#parts;
    const live = store.project?.currentVersion ?? null;
    const bytes = live === null ? null : await app.dataSizeNow().catch(() => null);
    return success(snapshots.status(bytes));
  }

  async setSnapshotSettings(changes: SetSnapshotSettingsRequest): Promise<Outcome<SnapshotsResponse>> {
    const refusal = this.#parts.snapshots.setSettings(changes);
    if (refusal) return failure("bad_request", refusal);
    return this.snapshots();
  }

  /**
   * Snapshots the live data now, as the live version's snapshot (replacing an earlier one of it):
   * for a change about to be made to the data (the Data view's Reset), which restoring the live
   * version with its data then undoes.
   */
  snapshotNow(): Promise<Outcome<SnapshotNowResponse>> {
    const { saves, app, snapshots, store } = this.#parts;
    return saves.queue(async () => {
      const refusal = snapshots.refusal();
      if (refusal) return refusal;
      const version = store.project?.currentVersion ?? null;
      if (version === null) return failure("conflict", "The project has no version yet, so no data to snapshot");
      const data = await app.withDatabase("snapshot", (facet) =>
        snapshots.take(version, () => (app.source.config() ? app.totalDataSize() : facet[DATA_SIZE_METHOD]())),
      );
      return success({ version, data });
    });
  }

  /** The app's whole database as a dump (schema, rows, kv pairs), taken while no request runs. */
  dumpData(): Promise<Outcome<DataDump>> {
    return takeDump(this.#parts.app);
  }

  /**
   * The project in one document: live code, variables (secret values only with `withSecrets`, which
   * fork uses; an export leaves them out), and a dump of its data (project-bundle.ts).
   */
  bundle(withSecrets: boolean): Promise<Outcome<ProjectBundle>> {
    const { store, app, objects, network } = this.#parts;
    return projectBundle({ store, live: app, objects, network: network.policies }, withSecrets, () => this.dumpData());
  }

  /** The draft, less its preview URL (the worker adds it); null when there is none. */
  draft(): Outcome<Omit<DraftInfo, "previewUrl"> | null> {
    return success(this.#parts.drafts.info());
  }

  putDraftCode(request: DraftCodeRequest): Promise<Outcome<Omit<DraftCodeResponse, "previewUrl">>> {
    return this.#parts.drafts.save(request);
  }

  promoteDraft(data: "live" | "draft"): Promise<Outcome<PromoteDraftResponse>> {
    return this.#parts.drafts.promote(data);
  }

  discardDraft(): Promise<Outcome<{ discarded: boolean }>> {
    return this.#parts.drafts.discard();
  }

  sql(request: SqlRequest): Promise<Outcome<SqlResult>> {
    return this.#parts.sql.run(request);
  }

  /** The log ring: the latest lines, or those after a cursor, that pass the query's filters (see LogRing.read). */
  readLogs(query: LogsQuery): Outcome<LogsResponse> {
    const { since, limit, kind, object, target } = query;
    return success(this.#parts.logs.read(since, limit ?? 100, { kind, object, target }));
  }

  /**
   * Sends a request to the app (live or draft, at its origin in `origins`) as a visitor's, and returns
   * what it answered and logged (app-traffic.ts).
   */
  async requestApp(origins: AppOrigins, request: AppRequest): Promise<Outcome<AppResponse>> {
    return new AppTraffic(this.#parts).request(origins, request);
  }

  /** Opens a WebSocket to the app as a visitor's, talks on it, closes it, and returns what it saw. */
  async websocketApp(origins: AppOrigins, request: WebSocketAppRequest): Promise<Outcome<WebSocketAppResponse>> {
    return new AppTraffic(this.#parts).socket(origins, request);
  }

  listRequests(query: RequestsQuery): Outcome<RequestsResponse> {
    const { requests } = this.#parts;
    return success({ requests: requests.list(query), settings: requests.settings });
  }

  getRequest(id: number): Outcome<RecordedRequest> {
    const source = this.#parts.requests.get(id);
    return source ? success(source.record) : failure("not_found", `No recorded request ${id}`);
  }

  setRequestSettings(change: PutRequestSettings): Outcome<RequestSettings> {
    return success(this.#parts.requests.setSettings(change));
  }

  /** Sends a recorded request again (requests/replay.ts), with the new answer beside the recorded one. */
  replayRequest(origins: AppOrigins, id: number, target: AppTarget): Promise<Outcome<ReplayOneResponse>> {
    return this.#replay(origins).one(id, target);
  }

  /** The last live requests sent again to the draft, each compared with what it answered then. */
  replayRequests(origins: AppOrigins, request: ReplayManyRequest): Promise<Outcome<ReplayReport>> {
    return this.#replay(origins).report(request);
  }

  #replay(origins: AppOrigins): RequestReplay {
    const traffic = new AppTraffic(this.#parts);
    const { requests, recorder } = this.#parts;
    return new RequestReplay(
      requests,
      (request) => traffic.request(origins, request),
      () => recorder.needles(),
    );
  }

  /**
   * The Data view's operations on the app's database (tables, rows, edits, storage.kv, reset): a
   * Worker project's object's, named by `object` (the one the app uses most without it).
   */
  data(object?: string): Outcome<DataBrowser> {
    const target = this.#parts.app.target(object);
    return target.ok ? success(this.#parts.data(target.value)) : target;
  }

  /** A Worker project's objects, most used first, with their sizes and last activity. */
  async objects(): Promise<Outcome<ObjectsResponse>> {
    const { app, metering, objects } = this.#parts;
    const limit = metering.limits.current.objects;
    if (app.source.config() === null) return success({ worker: false, objects: [], limit });
    // What the running objects' meters counted until now, so each row's rows read and written are current.
    if (metering.enabled) for (const report of await app.takeMeterReports()) metering.appReport(report);
    // Sizes not measured yet are measured now (each object's database under the neutral code if it is not running).
    for (const object of objects.list()) {
      if (object.bytes !== null) continue;
      const ref = objects.ref(object.id);
      if (ref) objects.setBytes(object.id, await app.dataSizeNow(ref).catch(() => 0));
    }
    return success({ worker: true, objects: objects.list(), limit });
  }

  /** Deletes a Worker project's object with its database and alarm; the next call to it makes it anew. */
  async deleteObject(object: string): Promise<Outcome<{ deleted: string }>> {
    const { app, record, store } = this.#parts;
    const target = app.target(object);
    if (!target.ok) return target;
    const ref = target.value;
    if (!ref) return failure("bad_request", "An App project's one object cannot be deleted");
    await app.deleteObject(ref, `${objectLabel(ref)} was deleted`);
    await this.#parts.objectAlarms.remove(ref.id);
    const label = objectLabel(ref);
    record([
      {
        kind: "system",
        level: "info",
        at: Date.now(),
        version: store.project?.currentVersion ?? null,
        object: label,
        message: `${label} was deleted with its database`,
      },
    ]);
    return success({ deleted: label });
  }

  listEnv(): Outcome<EnvResponse> {
    return success({ vars: this.#parts.store.listEnv() });
  }

  /** Sets a variable; the next request runs with it (the facet restarts, the code stays). */
  async setEnv(name: string, request: SetEnvVarRequest): Promise<Outcome<EnvResponse>> {
    const { store } = this.#parts;
    const existing = store.listEnv();
    if (!existing.some((v) => v.name === name) && existing.length >= LIMITS.maxEnvVars) {
      return failure("bad_request", `A project has at most ${LIMITS.maxEnvVars} variables`);
    }
    const before = store.appEnv().hash;
    store.setEnv(name, request.value, request.secret ?? false);
    await this.#envChanged(before, `${request.secret ? "secret" : "variable"} ${name} set`);
    return success({ vars: store.listEnv() });
  }

  async deleteEnv(name: string): Promise<Outcome<EnvResponse>> {
    const { store } = this.#parts;
    const before = store.appEnv().hash;
    if (!store.deleteEnv(name)) return failure("not_found", `No variable named ${name}`);
    await this.#envChanged(before, `variable ${name} deleted`);
    return success({ vars: store.listEnv() });
  }

  getLimits(): Outcome<LimitsResponse> {
    return success(this.#parts.metering.describeLimits());
  }

  /** Changes limits; one the app is loaded with (database size, CPU, subrequests) restarts it on its version. */
  async putLimits(change: PutLimitsRequest): Promise<Outcome<LimitsResponse>> {
    const { metering, store, app, record } = this.#parts;
    const refusal = metering.limits.refusal(change);
    if (refusal) return failure("bad_request", refusal);
    const { restart, changed } = metering.setLimits(change);
    if (changed.length > 0) {
      const version = store.project?.currentVersion ?? null;
      const what = `limits changed (${changed.join(", ")})`;
      if (restart) await app.swap(version, `The app restarted because its ${what}`);
      const message = restart ? `${what}; the app restarted with them` : what;
      record([{ kind: "system", level: "info", at: Date.now(), version, message }]);
    }
    return success(metering.describeLimits());
  }

  /**
   * The meter's totals, series and cost for the window, with what the app's isolate counted until
   * now: the project's, or one object's (`object`: its ID, Class:name or name).
   */
  async metrics(window: MetricsWindow, object?: string): Promise<Outcome<MetricsResponse>> {
    const { metering, app } = this.#parts;
    if (metering.enabled) for (const report of await app.takeMeterReports()) metering.appReport(report);
    if (object === undefined) return success(metering.metrics(window));
    const target = app.target(object);
    if (!target.ok) return target;
    const ref = target.value;
    if (!ref) return success(metering.metrics(window));
    return success(metering.objectMetrics(ref.id, objectLabel(ref), window));
  }

  getNetwork(): Outcome<NetworkResponse> {
    return success(describeNetwork(this.#parts.network));
  }

  /** Replaces the network policy; a change of the secrets it injects restarts the app without them in its env. */
  putNetwork(policy: NetworkPolicy): Promise<Outcome<NetworkResponse>> {
    return putNetwork(this.#parts, policy);
  }

  async #envChanged(hashBefore: string, what: string): Promise<void> {
    const { store, app, record } = this.#parts;
    if (store.appEnv().hash === hashBefore) return;
    const version = store.project?.currentVersion ?? null;
    await app.swap(version, `The app restarted because ${what}`);
    record([{ kind: "system", level: "info", at: Date.now(), version, message: `${what}; the next request sees it` }]);
  }
}
