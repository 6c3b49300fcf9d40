/**
 * Making a project: its row, then what it starts with (its seed): a template's code, saved as v1, or
 * a whole project from a fork or an import (variables, the App's data, a Worker project's objects
 * each with its data, then the code, whose first request finds the data in place). A seed that
 * cannot go live leaves no project behind, so the name can be used again.
 */
import type { PutCodeRequest, PutCodeResponse } from "../../../shared/api";
import type { NetworkPolicy } from "../../../shared/network/policy";
import type { PackageLock } from "../../../shared/packages";
import { readProjectConfig } from "../../../shared/project-config";
import type { ProjectBundle } from "../../../shared/time-travel";
import type { ObjectRef } from "../../app-runtime/protocol";
import { type Failure, failure, type Outcome, success } from "../../outcome";
import { LIVE_FACET, objectFacet } from "../app-host/facet-names";
import { type DatabaseAccess, loadDump } from "../time-travel/dump";
import { dumpSchemaRefusal } from "../time-travel/dump-check";
import type { ProjectSummary, SupervisorStore } from "../versions/store";

/**
 * What a new project starts with: a template's code, or a whole project (a fork or an import: code,
 * variables, data).
 */
export type ProjectSeed =
  | { kind: "template"; files: Record<string, string> }
  | ({ kind: "bundle" } & Pick<ProjectBundle, "files" | "main" | "env" | "data" | "objects" | "network" | "lock">);

/** What making a project works with, each a narrow view of the capability that has it. */
export interface SeedParts {
  ctx: DurableObjectState;
  store: SupervisorStore;
  /** The save queue (versions/saves.ts): the seed's code is saved as any code is. */
  saves: { save(request: PutCodeRequest, lock?: PackageLock): Promise<Outcome<PutCodeResponse>> };
  /** The live app, whose databases a bundle's data is loaded into (time-travel/dump.ts). */
  live: DatabaseAccess;
  /** The live app's objects (objects/objects.ts): a bundle's objects are admitted there. */
  objects: {
    admit(
      raw: unknown,
      classes: readonly string[],
    ): Promise<{ ok: true; ref: ObjectRef } | { ok: false; message: string }>;
    list(): { id: string }[];
    flush(): void;
    clear(): void;
  };
  /** Dropped when a seed fails: the log lines it wrote, and what the snapshots keep in memory. */
  logs: { flush(): void };
  snapshots: { forget(): void };
  /** The network policy (network/network-policy.ts): a bundle's is the new project's. */
  network: { set(policy: NetworkPolicy): void };
}

/** Makes projects (the supervisor's `create`). */
export class ProjectCreation {
  #ctx: DurableObjectState;
  #store: SupervisorStore;
  #saves: SeedParts["saves"];
  #live: DatabaseAccess;
  #objects: SeedParts["objects"];
  #logs: SeedParts["logs"];
  #snapshots: SeedParts["snapshots"];
  #network: SeedParts["network"];

  constructor(parts: SeedParts) {
    this.#ctx = parts.ctx;
    this.#store = parts.store;
    this.#saves = parts.saves;
    this.#live = parts.live;
    this.#objects = parts.objects;
    this.#logs = parts.logs;
    this.#snapshots = parts.snapshots;
    this.#network = parts.network;
  }

  /**
   * Makes the project. `seed`: its first code (a template), or a whole project (a fork or an
   * import: variables, data, then the code, whose first request finds the data in place).
   */
  async create(
    id: string,
    tokenHash: string,
    seed: ProjectSeed | null,
    ownerKeyHash: string | null,
  ): Promise<Outcome<ProjectSummary>> {
    if (this.#store.project) return failure("conflict", `A project named '${id}' already exists`);
    // A dump's schema is checked before the project's row exists: a statement no dump holds (a table
    // made by an endless query) is refused without running, and the name stays free.
    if (seed?.kind === "bundle") {
      for (const data of [seed.data, ...(seed.objects ?? []).map((o) => o.data)]) {
        const refusal = dumpSchemaRefusal(data);
        if (refusal) return failure("bad_request", refusal);
      }
    }
    this.#store.createProject(id, tokenHash, ownerKeyHash, Date.now());
    if (seed?.kind === "template") {
      const saved = await this.#saves.save({ files: seed.files, main: "app.ts" });
      // A template that does not start is the IDE's bug, not the user's: the project stays, empty.
      if (!saved.ok) console.error("template failed to save", JSON.stringify(saved.error));
    } else if (seed?.kind === "bundle") {
      for (const v of seed.env) this.#store.setEnv(v.name, v.value ?? "", v.secret);
      // Before the code's first load, so the secrets it injects are never in the app's env.
      if (seed.network) this.#network.set(seed.network);
      // Loaded under the neutral code (no version yet), so no app code runs before its data is there.
      const loaded = await loadDump(this.#live, seed.data);
      if (!loaded.ok) return this.#undoCreate(loaded);
      const objects = await this.#loadObjects(seed);
      if (!objects.ok) return this.#undoCreate(objects);
      if (Object.keys(seed.files).length > 0) {
        // The packages exactly as the bundle's version had them (its lock).
        const saved = await this.#saves.save({ files: seed.files, main: seed.main }, seed.lock);
        if (!saved.ok) return this.#undoCreate(saved);
      }
    }
    return success(this.#store.summary()!);
  }

  /** A Worker project's objects from a fork or an import, each loaded into its own database. */
  async #loadObjects(seed: Extract<ProjectSeed, { kind: "bundle" }>): Promise<Outcome<number>> {
    const objects = seed.objects ?? [];
    if (objects.length === 0) return success(0);
    const config = readProjectConfig(seed.files, seed.main);
    const classes = config.ok ? (config.config?.classes ?? []) : [];
    for (const object of objects) {
      const admitted = await this.#objects.admit(object, classes);
      if (!admitted.ok) return failure("bad_request", `The bundle's object ${object.class}: ${admitted.message}`);
      const loaded = await loadDump(this.#live, object.data, admitted.ref);
      if (!loaded.ok) return loaded;
    }
    this.#objects.flush();
    return success(objects.length);
  }

  /** Forgets a project whose seed could not go live: its databases, its rows, what is kept in memory. */
  #undoCreate(why: Failure): Outcome<ProjectSummary> {
    this.#ctx.facets.delete(LIVE_FACET);
    for (const { id } of this.#objects.list()) this.#ctx.facets.delete(objectFacet(LIVE_FACET, id));
    this.#objects.clear();
    this.#logs.flush();
    this.#store.wipe();
    this.#snapshots.forget();
    this.#network.set({ allow: [] });
    return why;
  }
}
