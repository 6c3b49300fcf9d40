/**
 * The Durable Objects of a Worker project, as its supervisor knows them: one row per object that has
 * ever been called (its class, ID, name, when it was made and last used, its requests and errors, and
 * its database's size when last measured), kept in the supervisor's SQLite. The live app's objects
 * and the draft's copies are kept apart (`scope`). Each object is a facet of the supervisor with its
 * own database (app-host/app-facets.ts); this registry is what lists them, admits a new one within the
 * project's `objects` limit (the references the app's code sends are checked by
 * object-reference.ts), and picks the object a tool means when it is not told (the one the app uses
 * most, object-selector.ts).
 *
 * Counters change on every call, so they are kept in memory and written a second later in one
 * statement per object, as the meter's buckets are.
 *
 * Table: `objects` (object-table.ts, with the statements that read and write it).
 */
import type { ObjectInfo } from "../../../shared/objects";
import type { ObjectRef } from "../../app-runtime/protocol";
import { isIdOfClass, objectLabel, readReference } from "./object-reference";
import { type ObjectSelection, selectObject } from "./object-selector";

import { type ObjectRow, ObjectTable, type Scope } from "./object-table";

export { objectLabel } from "./object-reference";

const FLUSH_AFTER_MS = 1_000;

/** A call to an object, as the objects list and the object's meter count it. */
export interface ObjectCall {
  /** The fetch's status; an RPC call is 200, or 500 when it threw. */
  status: number;
  durationMs: number | null;
  /** Whether the object's code threw (an exception, beside the 5xx). */
  threw: boolean;
}

export class ObjectRegistry {
  #table: ObjectTable;
  readonly scope: Scope;
  #limit: () => number;
  #rows = new Map<string, ObjectRow>();
  #dirty = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `limit`: the project's `objects` limit now. */
  constructor(sql: SqlStorage, scope: Scope, limit: () => number) {
    this.#table = new ObjectTable(sql, scope);
    this.scope = scope;
    this.#limit = limit;
    this.#load();
  }

  #load(): void {
    this.#rows.clear();
    for (const row of this.#table.read()) this.#rows.set(row.id, row);
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Every object, most used first. */
  list(): ObjectInfo[] {
    return [...this.#rows.values()]
      .sort((a, b) => b.requests - a.requests || b.lastActiveAt - a.lastActiveAt)
      .map((row) => this.#info(row));
  }

  #info(row: ObjectRow): ObjectInfo {
    const ref = { class: row.className, id: row.id, name: row.name };
    return {
      id: row.id,
      class: row.className,
      name: row.name,
      label: objectLabel(ref),
      createdAt: row.createdAt,
      lastActiveAt: row.lastActiveAt,
      requests: row.requests,
      errors: row.errors,
      bytes: row.bytes,
      rowsRead: row.rowsRead,
      rowsWritten: row.rowsWritten,
    };
  }

  /** Whether the object `id` is listed (an ID from the app's isolate may name any). */
  has(id: string): boolean {
    return this.#rows.has(id);
  }

  ref(id: string): ObjectRef | null {
    const row = this.#rows.get(id);
    return row ? { class: row.className, id: row.id, name: row.name } : null;
  }

  /**
   * Checks a reference the app's code sent (a class `classes` has, an ID of that class's namespace, a
   * name that is the ID's) and admits the object if it is new and the project is within its limit.
   * Returns the reference as the registry knows it, or why it cannot be served.
   */
  async admit(
    raw: unknown,
    classes: readonly string[],
  ): Promise<{ ok: true; ref: ObjectRef } | { ok: false; message: string }> {
    const read = readReference(raw, classes);
    if (!read.ok) return read;
    const { className, id, name } = read;
    const known = this.#rows.get(id);
    if (known) {
      if (known.className !== className) return { ok: false, message: "this ID is of another namespace" };
      // Reached by idFromString, a named object keeps its name.
      return { ok: true, ref: { class: className, id, name: known.name ?? name ?? null } };
    }
    if (!(await isIdOfClass(read))) return { ok: false, message: `Invalid Durable Object ID for ${className}` };
    if (this.#rows.has(id)) return { ok: true, ref: this.ref(id) as ObjectRef };
    const limit = this.#limit();
    if (this.#rows.size >= limit) {
      return {
        ok: false,
        message: `This project has ${this.#rows.size} Durable Objects, its limit (objects: ${limit}), so ${objectLabel({ class: className, id, name })} cannot be created. Delete objects in the IDE's Objects list (or DELETE /api/projects/:id/objects/:object), or raise the limit in the Metrics view.`,
      };
    }
    const now = Date.now();
    const row: ObjectRow = {
      id,
      className,
      name,
      createdAt: now,
      lastActiveAt: now,
      requests: 0,
      errors: 0,
      bytes: null,
      rowsRead: 0,
      rowsWritten: 0,
    };
    this.#rows.set(id, row);
    this.#table.insert(row, now);
    return { ok: true, ref: { class: className, id, name: row.name } };
  }

  /** Counts a call to the object (an error if it failed); an alarm's run has no `call`. */
  touch(id: string, call: ObjectCall | null, now = Date.now()): void {
    const row = this.#rows.get(id);
    if (!row) return;
    row.requests++;
    if (call !== null && call.status >= 500) row.errors++;
    row.lastActiveAt = now;
    this.#changed(id);
  }

  /** What the object's meter counted since its last report: its rows, and its database's size. */
  metered(id: string, report: { rowsRead: number; rowsWritten: number; databaseBytes: number | null }): void {
    const row = this.#rows.get(id);
    if (!row) return;
    row.rowsRead += report.rowsRead;
    row.rowsWritten += report.rowsWritten;
    if (report.databaseBytes !== null) row.bytes = report.databaseBytes;
    this.#changed(id);
  }

  /** The object's database size, as last measured or reported. */
  setBytes(id: string, bytes: number): void {
    const row = this.#rows.get(id);
    if (!row || row.bytes === bytes) return;
    row.bytes = bytes;
    this.#changed(id);
  }

  /** Every object's database, added up (null while none was measured). */
  totalBytes(): number | null {
    let total: number | null = null;
    for (const row of this.#rows.values()) if (row.bytes !== null) total = (total ?? 0) + row.bytes;
    return total;
  }

  #changed(id: string): void {
    this.#dirty.add(id);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const id of this.#dirty) {
      const row = this.#rows.get(id);
      if (row) this.#table.writeCounts(row);
    }
    this.#dirty.clear();
  }

  remove(id: string): void {
    this.#rows.delete(id);
    this.#dirty.delete(id);
    this.#table.delete(id);
  }

  /** Forgets every object (the draft discarded, or the data reset). */
  clear(): void {
    this.flush();
    this.#rows.clear();
    this.#table.deleteAll();
  }

  /** Makes this registry list what `other` lists (the draft starting as a copy of the live objects). */
  copyFrom(other: ObjectRegistry): void {
    other.flush();
    this.clear();
    this.#table.copyFrom(other.scope);
    this.#load();
  }

  /** Lists one object again as a snapshot held it (a restore of that object), keeping its counters if listed. */
  restore(row: { id: string; className: string; name: string | null; bytes: number | null }): void {
    const existing = this.#rows.get(row.id);
    if (existing) {
      existing.bytes = row.bytes;
      this.#changed(row.id);
      return;
    }
    const now = Date.now();
    this.#rows.set(row.id, {
      ...row,
      createdAt: now,
      lastActiveAt: now,
      requests: 0,
      errors: 0,
      rowsRead: 0,
      rowsWritten: 0,
    });
    this.#table.insert(row, now);
  }

  /** Replaces the rows with `rows` (a restore of a snapshot, or a load of a dump). */
  replace(rows: { id: string; className: string; name: string | null; bytes: number | null }[]): void {
    this.clear();
    const now = Date.now();
    for (const r of rows) this.#table.insert(r, now);
    this.#load();
  }

  /**
   * The object `selector` names (object-selector.ts); without one, the object the app uses most.
   */
  resolve(selector: string | undefined): ObjectSelection {
    return selectObject(
      this.list().map((o) => ({ class: o.class, id: o.id, name: o.name })),
      selector,
    );
  }
}
