/**
 * Copies of a facet with its database (`ctx.facets.clone`): a snapshot of the live data, the live
 * data into the draft, the draft's back on a promotion. On ext4 a clone is a full file copy
 * (docs/platform.md). Where the platform refuses `clone` (Cloudflare's docs do not list it yet), the
 * first refusal is recorded (snapshot-settings.ts): snapshots and drafts turn off with that reason,
 * and everything else keeps working.
 */
import { messageOf } from "../../../shared/errors";
import type { NewLogEntry } from "../../../shared/logs";
import { type Failure, failure } from "../../outcome";
import { objectFacet } from "../app-host/facet-names";
import type { ObjectRegistry } from "../objects/objects";
import type { SnapshotSettingsTable } from "./snapshot-settings";

export class FacetCopies {
  #ctx: DurableObjectState;
  #settings: SnapshotSettingsTable;
  #log: (entries: NewLogEntry[]) => void;
  /** Whether a clone has worked in this supervisor's life (then no probe is needed). */
  #cloneWorked = false;

  constructor(ctx: DurableObjectState, settings: SnapshotSettingsTable, log: (entries: NewLogEntry[]) => void) {
    this.#ctx = ctx;
    this.#settings = settings;
    this.#log = log;
  }

  /** Drops what is kept in memory (the store wiped the tables). */
  forget(): void {
    this.#cloneWorked = false;
  }

  /**
   * Why snapshots and drafts are off (the platform refused to copy a database), or null when they
   * work. Until a copy has worked in this supervisor's life, a copy of an empty facet finds out.
   */
  unavailable(): string | null {
    const refused = this.#settings.cloneRefused;
    if (refused || this.#cloneWorked) return refused;
    try {
      this.copy("snapshot:probe", "snapshot:probe-copy");
      this.#ctx.facets.delete("snapshot:probe-copy");
      this.#ctx.facets.delete("snapshot:probe");
    } catch {
      // Recorded by copy().
    }
    return this.#settings.cloneRefused;
  }

  /** The 501 answer for what needs copies (restoring data, drafts) while they are off; else null. */
  refusal(): Failure | null {
    const reason = this.unavailable();
    return reason ? failure("not_implemented", reason) : null;
  }

  /**
   * Copies facet `src` (with its database) over `dst`, which it replaces: requests running in `dst`
   * fail ("Facet was cloned-over"), so callers hold `dst`'s gate. A refusal turns snapshots off.
   */
  copy(src: string, dst: string): void {
    try {
      this.#ctx.facets.clone(src, dst);
      this.#cloneWorked = true;
    } catch (error) {
      const reason = `Snapshots and drafts are off: this platform refused to copy the app's database (ctx.facets.clone: ${messageOf(error)}). Everything else works.`;
      this.#settings.refuseClones(reason);
      this.#log([{ kind: "system", level: "warn", at: Date.now(), version: null, message: reason }]);
      throw error;
    }
  }

  /**
   * Copies a Worker project's objects (`from`'s, under the facet `fromBase`) over `to`'s (under
   * `toBase`): each database is copied, the objects `to` has and `from` does not are deleted, and
   * `to` then lists what `from` does. Callers hold the gate of `to`'s app, whose instances are stopped.
   */
  copyObjects(from: ObjectRegistry, fromBase: string, to: ObjectRegistry, toBase: string): void {
    from.flush();
    const keep = new Set(from.list().map((o) => o.id));
    for (const { id } of to.list()) if (!keep.has(id)) this.#ctx.facets.delete(objectFacet(toBase, id));
    for (const id of keep) this.copy(objectFacet(fromBase, id), objectFacet(toBase, id));
    to.copyFrom(from);
  }
}
