/**
 * The facets of one app: the App's, or each object's of a Worker project. Starts them on the code of
 * this generation (pinned until the next swap, so a request in flight and the objects it calls run
 * the same code), or under the neutral code where no user code may run; knows which run now and
 * which hold WebSockets; stops them.
 */
import type { AppStub, Target } from "./app-stub";

/** The source's part that names facets and gives the code they start with (app-source.ts). */
export interface FacetSource {
  readonly facet: string;
  objectFacet(id: string): string;
  worker(): WorkerStub;
  neutral(): WorkerStub;
  channel(): Promise<string>;
}

/** What a facet that runs is doing: whether the app returned a WebSocket from it since it started. */
export interface Running {
  holdsSockets: boolean;
  ref: Target;
}

export class AppFacets {
  #ctx: DurableObjectState;
  #source: FacetSource;
  /** The facets whose instance has started since they were last stopped (their start callback ran). */
  #running = new Map<string, Running>();
  /**
   * The code of this generation and the secret its wrapper marks its reports with (see #worker); null
   * until something starts after a swap.
   */
  #pinned: { worker: WorkerStub; channel: Promise<string> } | null = null;
  /** Counts facet restarts (swaps, resets): SQLite's total_changes() starts again at each. */
  generation = 0;

  constructor(ctx: DurableObjectState, source: FacetSource) {
    this.#ctx = ctx;
    this.#source = source;
  }

  /** The facet of `target` (the App's, or an object's), started with the current code if it is not running. */
  get(target: Target = null): AppStub {
    const name = this.name(target);
    return this.#ctx.facets.get(name, () => {
      this.#running.set(name, { holdsSockets: false, ref: target });
      const worker = this.worker();
      if (target === null) return { class: worker.getDurableObjectClass("App") };
      // Its ID's hex as the facet's id, its name in props: the wrapper makes ctx.id of both (object-runtime.ts).
      return {
        class: worker.getDurableObjectClass(target.class, { props: { name: target.name } }),
        id: target.id,
      };
    }) as unknown as AppStub;
  }

  /** The facet under the neutral code; only where nothing else starts it (the gate is held). */
  neutral(target: Target): AppStub {
    return this.#ctx.facets.get(this.name(target), () => ({
      class: this.#source.neutral().getDurableObjectClass("App"),
      ...(target ? { id: target.id } : {}),
    })) as unknown as AppStub;
  }

  /**
   * The code this generation of the app runs. A save stores the new version before its swap drains
   * the requests inside; an object such a request calls for the first time must start on the code
   * the request runs, not on the version waiting to go live, so the code is fixed until the swap.
   */
  worker(): WorkerStub {
    this.#pinned ??= { worker: this.#source.worker(), channel: this.#source.channel() };
    return this.#pinned.worker;
  }

  /**
   * The secret of the code this generation runs: a request in flight while a save drains answers with
   * the old code's marks, though the store already names the new version.
   */
  channel(): Promise<string> {
    return this.#pinned?.channel ?? this.#source.channel();
  }

  name(target: Target): string {
    return target === null ? this.#source.facet : this.#source.objectFacet(target.id);
  }

  /** Whether `target`'s facet has started since it was last stopped. */
  isRunning(target: Target = null): boolean {
    return this.#running.has(this.name(target));
  }

  /** Notes that `target`'s facet handed a WebSocket out, so a swap closes what it holds. */
  holdsSockets(target: Target): void {
    const running = this.#running.get(this.name(target));
    if (running) running.holdsSockets = true;
  }

  /** The facets running now. */
  running(): Running[] {
    return [...this.#running.values()];
  }

  /** Stops the instance of `target`'s facet (its database stays); the next call starts the code anew. */
  stop(target: Target, reason: string): void {
    const name = this.name(target);
    this.#ctx.facets.abort(name, new Error(reason));
    this.#running.delete(name);
    this.generation++;
  }

  /** Stops every running instance: the App's facet, and each object's. */
  stopAll(reason: string): void {
    this.#ctx.facets.abort(this.#source.facet, new Error(reason));
    for (const name of this.#running.keys()) {
      if (name !== this.#source.facet) this.#ctx.facets.abort(name, new Error(reason));
    }
    this.#running.clear();
    this.#pinned = null;
    this.generation++;
  }

  /** Stops `target`'s instance, if it runs, and deletes its facet with its database. */
  delete(target: Target, reason: string): void {
    const name = this.name(target);
    this.#ctx.facets.abort(name, new Error(reason));
    this.#running.delete(name);
    this.#ctx.facets.delete(name);
  }

  /** Deletes the App's database and each of `objects`' (stopped already, by a swap). */
  deleteDatabases(objects: { id: string }[]): void {
    this.#ctx.facets.delete(this.#source.facet);
    for (const { id } of objects) this.#ctx.facets.delete(this.#source.objectFacet(id));
  }
}
