/**
 * Which of a Worker project's objects each data snapshot holds: every live object's database is
 * copied with the App's when a snapshot is taken (as `snapshot:v<N>:o:<id>`), and put back with it
 * on a restore, when the live objects the snapshot lacks are deleted.
 *
 * Table: `snapshot_objects`, a row per object a snapshot holds (createSnapshotObjectsTable).
 */
import type { ObjectRef } from "../../app-runtime/protocol";
import { LIVE_FACET, objectFacet, snapshotFacet } from "../app-host/facet-names";
import type { ObjectRegistry } from "../objects/objects";
import type { FacetCopies } from "./facet-copies";

/** An object a snapshot holds. */
export type SnapshotObject = { id: string; className: string; name: string | null; bytes: number | null };

/** Makes `snapshot_objects`. */
export function createSnapshotObjectsTable(sql: SqlStorage): void {
  sql.exec(`
    -- Which objects each snapshot holds (a Worker project's; the App's facet is the snapshot itself).
    CREATE TABLE IF NOT EXISTS snapshot_objects (
      version INTEGER NOT NULL,
      id TEXT NOT NULL,
      class TEXT NOT NULL,
      name TEXT,
      bytes INTEGER,
      PRIMARY KEY (version, id)
    );`);
}

export class SnapshotObjects {
  #ctx: DurableObjectState;
  #sql: SqlStorage;
  #copies: FacetCopies;
  /** A Worker project's live objects, each snapshotted with the App's facet. */
  #live: ObjectRegistry;

  constructor(ctx: DurableObjectState, copies: FacetCopies, live: ObjectRegistry) {
    this.#ctx = ctx;
    this.#sql = ctx.storage.sql;
    this.#copies = copies;
    this.#live = live;
  }

  /** The objects a snapshot holds. */
  of(version: number): SnapshotObject[] {
    return this.#sql
      .exec<{ id: string; class: string; name: string | null; bytes: number | null }>(
        "SELECT id, class, name, bytes FROM snapshot_objects WHERE version = ?",
        version,
      )
      .toArray()
      .map((r) => ({ id: r.id, className: r.class, name: r.name, bytes: r.bytes }));
  }

  /** Copies every live object into `version`'s snapshot, replacing what it held. */
  take(version: number): void {
    this.drop(version);
    this.#live.flush();
    for (const o of this.#live.list()) {
      this.#copies.copy(objectFacet(LIVE_FACET, o.id), objectFacet(snapshotFacet(version), o.id));
      this.#sql.exec(
        "INSERT INTO snapshot_objects (version, id, class, name, bytes) VALUES (?, ?, ?, ?, ?)",
        version,
        o.id,
        o.class,
        o.name,
        o.bytes,
      );
    }
  }

  drop(version: number): void {
    for (const { id } of this.of(version)) this.#ctx.facets.delete(objectFacet(snapshotFacet(version), id));
    this.#sql.exec("DELETE FROM snapshot_objects WHERE version = ?", version);
  }

  /**
   * Puts the objects of the snapshot under `base` (holding `rows`) in place of the live ones: live
   * objects the snapshot lacks are deleted, and the registry lists what the snapshot held.
   */
  restore(base: string, rows: SnapshotObject[]): void {
    const keep = new Set(rows.map((r) => r.id));
    for (const { id } of this.#live.list()) {
      if (!keep.has(id)) this.#ctx.facets.delete(objectFacet(LIVE_FACET, id));
    }
    for (const { id } of rows) this.#copies.copy(objectFacet(base, id), objectFacet(LIVE_FACET, id));
    this.#live.replace(rows);
  }

  /** An object `version`'s snapshot holds, by ID, Class:name or name (for a restore of one object). */
  objectIn(version: number, selector: string): ObjectRef | null {
    const found = this.of(version).find(
      (o) => o.id === selector || (o.name !== null && (`${o.className}:${o.name}` === selector || o.name === selector)),
    );
    return found ? { class: found.className, id: found.id, name: found.name } : null;
  }
}
