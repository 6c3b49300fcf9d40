/**
 * A project as a client of the API sees it, once opened. The supervisor's `open(credential)` hands
 * one out only after `admit` accepted the credential, so no method here checks anything: a method
 * added here is authorized by construction. It crosses the RPC boundary as a stub (an RpcTarget).
 * Its methods are grouped by capability beside it when they do more than call one: the app's traffic
 * (app-traffic.ts), snapshots (project-snapshots.ts), objects (project-objects.ts), variables
 * (project-variables.ts), limits and metrics (project-metering.ts), recorded requests
 * (recorded-requests.ts), deletion (project-deletion.ts) and the bundle (project-bundle.ts).
 * Tables: none (it works through the capabilities in ProjectParts, project-parts.ts).
 */
import { RpcTarget } from "cloudflare:workers";
import type {
  AppRequest,
  AppResponse,
  AppTarget,
  CodeResponse,
  EnvResponse,
  LogsQuery,
  LogsResponse,
  PutCodeRequest,
  PutCodeResponse,
  SetEnvVarRequest,
  SqlRequest,
  VersionsResponse,
} from "../../../shared/api";
import type { WebSocketAppRequest, WebSocketAppResponse } from "../../../shared/app-sockets";
import type { DataDump } from "../../../shared/dump";
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
import type { TypesResponse } from "../../../shared/type-check";
import type { AssistantTasks } from "../../assistant/task-table";
import { failure, type Outcome, success } from "../../outcome";
import type { DataBrowser } from "../data/data-browser";
import { describeNetwork, putNetwork } from "../network/network-api";
import { takeDump } from "../time-travel/dump";
import type { ProjectSummary } from "../versions/store";
import { type AppOrigins, AppTraffic } from "./app-traffic";
import { projectBundle } from "./project-bundle";
import type { DeletedProject } from "./project-deletion";
import { metrics, putLimits } from "./project-metering";
import { deleteObject, listObjects } from "./project-objects";
import type { ProjectParts } from "./project-parts";
import { setSnapshotSettings, snapshotNow, snapshotStatus } from "./project-snapshots";
import { deleteVariable, setVariable } from "./project-variables";
import { listRequests, requestReplay } from "./recorded-requests";

export class ProjectHandle extends RpcTarget {
  #parts: ProjectParts;

  constructor(parts: ProjectParts) {
    super();
    this.#parts = parts;
  }

  /** The IDE's assistant's tasks, which the assistant's loop records through (server/assistant/). */
  assistant(): AssistantTasks {
    return this.#parts.assistant;
  }

  info(): Outcome<ProjectSummary> {
    const summary = this.#parts.store.summary();
    return summary ? success(summary) : failure("not_found", "No such project");
  }

  getCode(): Outcome<CodeResponse> {
    const current = this.#parts.store.currentVersion();
    return success({
      version: current?.version ?? null,
      main: current?.main ?? "app.ts",
      files: current?.files ?? {},
      lock: current?.lock ?? [],
    });
  }

  /** The live version's packages' declaration files, for the editor's TypeScript. */
  async getTypes(): Promise<Outcome<TypesResponse>> {
    const version = this.#parts.store.project?.currentVersion ?? null;
    return success({ version, files: await this.#parts.packageTypes() });
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
    return success({ version: row.version, main: row.main, files: row.files, lock: row.lock });
  }

  putCode(request: PutCodeRequest): Promise<Outcome<PutCodeResponse>> {
    return this.#parts.saves.save(request);
  }

  /** A new version with `version`'s code; with `data`, its snapshot replaces the database (undoably). */
  restore(version: number, data: boolean, object?: string): Promise<Outcome<RestoreResponse>> {
    return this.#parts.saves.restore(version, data, object);
  }

  /** Snapshot retention and use, and whether the live database fits the budget (project-snapshots.ts). */
  snapshots(): Promise<Outcome<SnapshotsResponse>> {
    return snapshotStatus(this.#parts);
  }

  setSnapshotSettings(changes: SetSnapshotSettingsRequest): Promise<Outcome<SnapshotsResponse>> {
    return setSnapshotSettings(this.#parts, changes);
  }

  /** Snapshots the live data now, as the live version's snapshot, for a change about to be made to it. */
  snapshotNow(): Promise<Outcome<SnapshotNowResponse>> {
    return snapshotNow(this.#parts);
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
    return listRequests(this.#parts, query);
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
    return requestReplay(this.#parts, origins).one(id, target);
  }

  /** The last live requests sent again to the draft, each compared with what it answered then. */
  replayRequests(origins: AppOrigins, request: ReplayManyRequest): Promise<Outcome<ReplayReport>> {
    return requestReplay(this.#parts, origins).report(request);
  }

  /**
   * The Data view's operations on the app's database (tables, rows, edits, storage.kv, reset): a
   * Worker project's object's, named by `object` (the one the app uses most without it).
   */
  data(object?: string): Outcome<DataBrowser> {
    const target = this.#parts.app.target(object);
    return target.ok ? success(this.#parts.data(target.value)) : target;
  }

  /** A Worker project's objects, most used first, with their sizes and last activity (project-objects.ts). */
  objects(): Promise<Outcome<ObjectsResponse>> {
    return listObjects(this.#parts);
  }

  /** Deletes a Worker project's object with its database and alarm; the next call to it makes it anew. */
  deleteObject(object: string): Promise<Outcome<{ deleted: string }>> {
    return deleteObject(this.#parts, object);
  }

  listEnv(): Outcome<EnvResponse> {
    return success({ vars: this.#parts.store.listEnv() });
  }

  /** Sets a variable; the next request runs with it (project-variables.ts). */
  setEnv(name: string, request: SetEnvVarRequest): Promise<Outcome<EnvResponse>> {
    return setVariable(this.#parts, name, request);
  }

  deleteEnv(name: string): Promise<Outcome<EnvResponse>> {
    return deleteVariable(this.#parts, name);
  }

  getLimits(): Outcome<LimitsResponse> {
    return success(this.#parts.metering.describeLimits());
  }

  /** Changes limits; one the app is loaded with restarts it on its version (project-metering.ts). */
  putLimits(change: PutLimitsRequest): Promise<Outcome<LimitsResponse>> {
    return putLimits(this.#parts, change);
  }

  /** The meter's figures for the window: the project's, or one object's (`object`: its ID, Class:name or name). */
  metrics(window: MetricsWindow, object?: string): Promise<Outcome<MetricsResponse>> {
    return metrics(this.#parts, window, object);
  }

  getNetwork(): Outcome<NetworkResponse> {
    return success(describeNetwork(this.#parts.network));
  }

  /** Replaces the network policy; a change of the secrets it injects restarts the app without them in its env. */
  putNetwork(policy: NetworkPolicy): Promise<Outcome<NetworkResponse>> {
    return putNetwork(this.#parts, policy);
  }
}
