/**
 * ProjectSupervisor: one Durable Object per project. This file only exposes the Durable Object's
 * entry points (the RPC methods the worker and the bridges call, and the runtime's handlers); each
 * capability is a folder beside it, owns its tables (made in one place, `createTables` in tables.ts)
 * and reaches the others through narrow interfaces given at construction (wiring.ts):
 *
 * - versions/: the project row, its versions and variables (store.ts; tables `project`, `versions`,
 *   `env_vars`, `channel_key`, schema in tables.ts), the save queue (saves.ts; checking code in
 *   code-check.ts, restoring a version in restores.ts), the swap gate (swap-gate.ts), content hashes (hashing.ts), and under the launcher its
 *   verdicts on code that froze or crashed the runtime (verdicts.ts; table `launcher_verdicts`);
 * - console/: the log ring (log-ring.ts; table `logs`), the terminals that listen
 *   (terminals.ts), the log both write to (project-log.ts), the terminal sockets
 *   (terminal-sockets.ts) and the SQL console (sql-console.ts);
 * - objects/: a Worker project's Durable Objects: the registry (objects.ts; table `objects`, in
 *   object-table.ts), their fetch and RPC calls (object-host.ts), their alarms (object-alarms.ts;
 *   table `object_alarm`);
 * - time-travel/: data snapshots (snapshots.ts; tables `snapshots`, `snapshot_settings`,
 *   `snapshot_objects`, beside the modules that use them), the draft (draft-row.ts; table `draft`,
 *   draft-source.ts, drafts.ts), dumps for fork, export and import (dump.ts);
 * - metering/: the meter, the limits and the status bar's feed (metering.ts; tables `limits`,
 *   `meter_minutes`, `meter_hours`, `meter_object_minutes`, `meter_object_hours`);
 * - app-host/: running an app in its facet: the loader and compile step, the live source, the app
 *   host (serving, swapping, facets), the App's and the draft's alarms (app-alarms.ts; tables
 *   `app_alarm`, `draft_alarm`) and the routing of every alarm (project-alarms.ts);
 * - network/: the app's network policy (network-policy.ts; table `network_policy`), the supervisor's
 *   side of the gateway every outbound call of the app goes through (outbound.ts; the entrypoint is
 *   server/bridges/network-gateway.ts) and the policy's API (network-api.ts);
 * - requests/: the requests the app's origins served, recorded redacted, and their replay on the live
 *   app or the draft (request-table.ts; tables `requests`, `request_settings`; recorder.ts, replay.ts);
 * - data/: the Data view (no tables: it reads the app's database through the SQL console);
 * - handle/: who may open the project (access.ts), what an opened project offers the API
 *   (project-handle.ts, its operations grouped by capability beside it), making a project from its seed (project-seed.ts) and the bundle a fork or
 *   an export takes (project-bundle.ts). It is the layer above the capabilities, and works with
 *   their classes.
 *
 * The constructor builds them in dependency order, each before anything that uses it
 * (`wireCapabilities` in wiring.ts, which numbers the order).
 *
 * The worker authenticates nothing itself: it passes the SHA-256 of the caller's token to `open`,
 * which checks it (access.ts) and hands back a ProjectHandle (project-handle.ts), the only way to
 * the project's operations. The bridges' methods below take no credential: only the app's own
 * AlarmBridge, LogBridge, MeterBridge, ObjectBridge and Gateway call them, with the project fixed by their
 * props (server/bridges/).
 */
import { DurableObject } from "cloudflare:workers";
import type { NewLogEntry } from "../../shared/logs";
import { CREDENTIAL_HEADER, DRAFT_CALL_HEADER, OBJECT_HOST, TERMINAL_HOST } from "../internal";
import { type Outcome, success } from "../outcome";
import { isDraftHost, noSuchProject } from "../preview";
import { closeBack } from "./console/terminal-sockets";
import { admit, type Credential, credentialFromHeader } from "./handle/access";
import { ProjectHandle } from "./handle/project-handle";
import type { ProjectSeed } from "./handle/project-seed";
import type { GatewayPlan } from "./network/outbound";
import type { ProjectSummary } from "./versions/store";
import { type SupervisorWiring, wireCapabilities } from "./wiring";

export type { ProjectSeed } from "./handle/project-seed";

export class ProjectSupervisor extends DurableObject<Env> {
  #wired: SupervisorWiring;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#wired = wireCapabilities(ctx, env);
  }

  /**
   * Makes the project (handle/project-seed.ts). `seed`: its first code (a template), or a whole
   * project (a fork or an import). A seed that cannot go live leaves no project behind.
   */
  async create(
    id: string,
    tokenHash: string,
    seed: ProjectSeed | null,
    ownerKeyHash: string | null = null,
  ): Promise<Outcome<ProjectSummary>> {
    return this.#wired.creation.create(id, tokenHash, seed, ownerKeyHash);
  }

  /**
   * Called by the worker before it answers its first request (server/launcher.ts), so that verdicts are
   * recorded and reported as soon as the runtime is back: with `projectId`, the name this object was
   * reached by (a project that does not exist gets its verdicts reported as such).
   */
  async settleVerdicts(projectId: string): Promise<void> {
    await this.ctx.blockConcurrencyWhile(() => this.#wired.verdicts.settle(this.#wired.store.project?.id ?? projectId));
  }

  /**
   * The project's API, for a caller whose credential opens it: the only way to its code, versions,
   * database and variables (the terminal socket is checked by the same `admit`).
   */
  async open(credential: Credential): Promise<Outcome<ProjectHandle>> {
    return admit(this.#wired.store.project, credential) ?? success(new ProjectHandle(this.#wired.parts));
  }

  /**
   * Called by the worker once a project is deleted (handle/project-deletion.ts): the object starts
   * afresh on its next call, so nothing this instance kept in memory (limits, cooldowns, registries)
   * outlives the project. The abort rejects this call; the caller expects that.
   */
  async reset(): Promise<void> {
    if (this.#wired.store.project) return;
    this.ctx.abort("the project was deleted");
  }

  // The app's alarm (or the draft's, or one of a Worker project's objects': `object` is its ID),
  // reached through the AlarmBridge entrypoint (see app-alarms.ts).
  async appSetAlarm(time: number, draft = false, object: string | null = null): Promise<void> {
    await this.#wired.alarms.set(time, draft, object);
  }

  async appGetAlarm(draft = false, object: string | null = null): Promise<number | null> {
    return this.#wired.alarms.get(draft, object);
  }

  async appDeleteAlarm(draft = false, object: string | null = null): Promise<void> {
    await this.#wired.alarms.delete(draft, object);
  }

  override async alarm(): Promise<void> {
    await this.#wired.alarms.fire();
  }

  /** A stub's RPC call from a Worker project's code, through the ObjectBridge (object-host.ts). */
  async objectCall(ref: unknown, method: unknown, args: unknown, call: unknown, draft = false): Promise<unknown> {
    return (draft ? this.#wired.objectCalls.draft : this.#wired.objectCalls.live).call(ref, method, args, call);
  }

  /** Called by the MeterBridge entrypoint with what the meter inside the live app's isolate counted. */
  async appMeterReport(report: unknown): Promise<void> {
    this.#wired.metering.appReport(report);
  }

  /** Called by the Gateway entrypoint before each outbound call of the app (network/outbound.ts). */
  async networkPlan(url: string, method: string, ideHosts: string[], draft = false): Promise<GatewayPlan> {
    return this.#wired.outbound.plan(
      String(url),
      String(method),
      Array.isArray(ideHosts) ? ideHosts.map(String) : [],
      draft === true,
    );
  }

  /** Called by the Gateway entrypoint with what came of a call that went out. */
  async networkDone(call: unknown, draft = false, id = ""): Promise<void> {
    this.#wired.outbound.done(call, draft === true, String(id));
  }

  /** Called by the LogBridge entrypoint with console lines and exceptions no response carried. */
  async appendLogs(codeId: string, entries: NewLogEntry[], draft = false): Promise<void> {
    if (draft) {
      const revision = this.#wired.draftCode.revision;
      const version = this.#wired.store.project?.currentVersion ?? null;
      this.#wired.record(entries.map((e) => ({ ...e, version, draft: revision })));
      return;
    }
    const version = this.#wired.store.versionOfCode(codeId);
    this.#wired.record(entries.map((e) => ({ ...e, version: e.version ?? version })));
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.hostname === OBJECT_HOST) {
      const draft = request.headers.get(DRAFT_CALL_HEADER) === "1";
      return (draft ? this.#wired.objectCalls.draft : this.#wired.objectCalls.live).fetch(request);
    }
    if (url.hostname === TERMINAL_HOST) {
      const denied = admit(this.#wired.store.project, credentialFromHeader(request.headers.get(CREDENTIAL_HEADER)));
      if (denied) return Response.json({ error: denied.error }, { status: denied.status });
      return this.#wired.sockets.accept();
    }
    if (!this.#wired.store.project) return noSuchProject(url.hostname);
    // The draft is the owner's trial on a copy: not metered, but its origin is public, so its requests
    // take from the project's requests a minute as the live origin's do (see metering.ts).
    const draft = isDraftHost(url.hostname);
    const refused = this.#wired.metering.admit(draft);
    if (refused) return refused;
    const host = draft ? this.#wired.draft : this.#wired.live;
    return this.#wired.recorder.serve(request, draft ? "draft" : "live", (r, observe) => host.serve(r, observe));
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.#wired.sockets.onMessage(socket, message);
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    closeBack(socket, code);
  }
}
