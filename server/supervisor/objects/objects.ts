/**
 * The Durable Objects of a Worker project, as its supervisor knows them: one row per object that has
 * ever been called (its class, ID, name, when it was made and last used, its requests and errors, and
 * its database's size when last measured), kept in the supervisor's SQLite. The live app's objects
 * and the draft's copies are kept apart (`scope`). Each object is a facet of the supervisor with its
 * own database (app-host.ts); this registry is what lists them, admits a new one within the
 * project's `objects` limit, checks the references the app's code sends, and picks the object a tool
 * means when it is not told (the one the app uses most).
 *
 * Counters change on every call, so they are kept in memory and written a second later in one
 * statement per object, as the meter's buckets are.
 */
import type { ObjectInfo } from "../../../shared/objects";
import type { ObjectRef } from "../../app-runtime/protocol";
import { isObjectIdOf, namedObjectId } from "./object-ids";
import { type ObjectSelection, selectObject } from "./object-selector";

const FLUSH_AFTER_MS = 1_000;
/** Longest object name kept (Cloudflare allows longer; a name here is also shown in the terminal). */
export const MAX_OBJECT_NAME = 1_024;

export type Scope = "live" | "draft";

/** A call to an object, as the objects list and the object's meter count it. */
export interface ObjectCall {
  /** The fetch's status; an RPC call is 200, or 500 when it threw. */
  status: number;
  durationMs: number | null;
  /** Whether the object's code threw (an exception, beside the 5xx). */
  threw: boolean;
}

interface ObjectRow {
  id: string;
  className: string;
  name: string | null;
  createdAt: number;
  lastActiveAt: number;
  requests: number;
  errors: number;
  bytes: number | null;
  rowsRead: number;
  rowsWritten: number;
}

/** How an object is named in the terminal and in errors: `Flight:1234`, or `Flight:#3f2a…` without a name. */
export function objectLabel(ref: { class: string; id: string; name: string | null }): string {
  return ref.name !== null ? `${ref.class}:${ref.name}` : `${ref.class}:#${ref.id.slice(0, 8)}`;
}

export class ObjectRegistry {
  #sql: SqlStorage;
  readonly scope: Scope;
  #limit: () => number;
  #onCall: ((id: string, call: ObjectCall) => void) | null;
  #rows = new Map<string, ObjectRow>();
  #dirty = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * `limit`: the project's `objects` limit now; `onCall`: told of each call to an object (the live
   * app's registry tells the meter; the draft is not metered).
   */
  constructor(
    sql: SqlStorage,
    scope: Scope,
    limit: () => number,
    onCall: ((id: string, call: ObjectCall) => void) | null = null,
  ) {
    this.#sql = sql;
    this.scope = scope;
    this.#limit = limit;
    this.#onCall = onCall;
    sql.exec(`CREATE TABLE IF NOT EXISTS objects (
      scope TEXT NOT NULL,
      id TEXT NOT NULL,
      class TEXT NOT NULL,
      name TEXT,
      created_at INTEGER NOT NULL,
      last_active_at INTEGER NOT NULL,
      requests INTEGER NOT NULL DEFAULT 0,
      errors INTEGER NOT NULL DEFAULT 0,
      bytes INTEGER,
      rows_read INTEGER NOT NULL DEFAULT 0,
      rows_written INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (scope, id)
    )`);
    this.#load();
  }

  #load(): void {
    this.#rows.clear();
    const rows = this.#sql.exec<{
      id: string;
      class: string;
      name: string | null;
      created_at: number;
      last_active_at: number;
      requests: number;
      errors: number;
      bytes: number | null;
      rows_read: number;
      rows_written: number;
    }>("SELECT * FROM objects WHERE scope = ?", this.scope);
    for (const r of rows) {
      this.#rows.set(r.id, {
        id: r.id,
        className: r.class,
        name: r.name,
        createdAt: r.created_at,
        lastActiveAt: r.last_active_at,
        requests: r.requests,
        errors: r.errors,
        bytes: r.bytes,
        rowsRead: r.rows_read,
        rowsWritten: r.rows_written,
      });
    }
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
    if (raw === null || typeof raw !== "object") return { ok: false, message: "not a Durable Object reference" };
    const { class: className, id, name } = raw as Record<string, unknown>;
    if (typeof className !== "string" || !classes.includes(className)) {
      return {
        ok: false,
        message: `no Durable Object class ${String(className)} is bound in this project's configuration`,
      };
    }
    if (typeof id !== "string") return { ok: false, message: "not a Durable Object ID" };
    if (name !== null && (typeof name !== "string" || name.length > MAX_OBJECT_NAME)) {
      return { ok: false, message: `Durable Object names here have at most ${MAX_OBJECT_NAME} characters` };
    }
    const known = this.#rows.get(id);
    if (known) {
      if (known.className !== className) return { ok: false, message: "this ID is of another namespace" };
      // Reached by idFromString, a named object keeps its name.
      return { ok: true, ref: { class: className, id, name: known.name ?? name ?? null } };
    }
    const valid =
      name !== null ? (await namedObjectId(className, name as string)) === id : await isObjectIdOf(className, id);
    if (!valid) return { ok: false, message: `Invalid Durable Object ID for ${className}` };
    if (this.#rows.has(id)) return { ok: true, ref: this.ref(id) as ObjectRef };
    const limit = this.#limit();
    if (this.#rows.size >= limit) {
      return {
        ok: false,
        message: `This project has ${this.#rows.size} Durable Objects, its limit (objects: ${limit}), so ${objectLabel({ class: className, id, name: (name as string | null) ?? null })} cannot be created. Delete objects in the IDE's Objects list (or DELETE /api/projects/:id/objects/:object), or raise the limit in the Metrics view.`,
      };
    }
    const now = Date.now();
    const row: ObjectRow = {
      id,
      className,
      name: (name as string | null) ?? null,
      createdAt: now,
      lastActiveAt: now,
      requests: 0,
      errors: 0,
      bytes: null,
      rowsRead: 0,
      rowsWritten: 0,
    };
    this.#rows.set(id, row);
    this.#sql.exec(
      "INSERT OR REPLACE INTO objects (scope, id, class, name, created_at, last_active_at) VALUES (?, ?, ?, ?, ?, ?)",
      this.scope,
      id,
      className,
      row.name,
      now,
      now,
    );
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
    if (call !== null) this.#onCall?.(id, call);
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
      if (!row) continue;
      this.#sql.exec(
        "UPDATE objects SET last_active_at = ?, requests = ?, errors = ?, bytes = ?, rows_read = ?, rows_written = ? WHERE scope = ? AND id = ?",
        row.lastActiveAt,
        row.requests,
        row.errors,
        row.bytes,
        row.rowsRead,
        row.rowsWritten,
        this.scope,
        id,
      );
    }
    this.#dirty.clear();
  }

  remove(id: string): void {
    this.#rows.delete(id);
    this.#dirty.delete(id);
    this.#sql.exec("DELETE FROM objects WHERE scope = ? AND id = ?", this.scope, id);
  }

  /** Forgets every object (the draft discarded, or the data reset). */
  clear(): void {
    this.flush();
    this.#rows.clear();
    this.#sql.exec("DELETE FROM objects WHERE scope = ?", this.scope);
  }

  /** Makes this registry list what `other` lists (the draft starting as a copy of the live objects). */
  copyFrom(other: ObjectRegistry): void {
    other.flush();
    this.clear();
    this.#sql.exec(
      `INSERT INTO objects (scope, id, class, name, created_at, last_active_at, requests, errors, bytes)
       SELECT ?, id, class, name, created_at, last_active_at, 0, 0, bytes FROM objects WHERE scope = ?`,
      this.scope,
      other.scope,
    );
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
    this.#sql.exec(
      "INSERT OR REPLACE INTO objects (scope, id, class, name, created_at, last_active_at, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
      this.scope,
      row.id,
      row.className,
      row.name,
      now,
      now,
      row.bytes,
    );
  }

  /** Replaces the rows with `rows` (a restore of a snapshot, or a load of a dump). */
  replace(rows: { id: string; className: string; name: string | null; bytes: number | null }[]): void {
    this.clear();
    const now = Date.now();
    for (const r of rows) {
      this.#sql.exec(
        "INSERT INTO objects (scope, id, class, name, created_at, last_active_at, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
        this.scope,
        r.id,
        r.className,
        r.name,
        now,
        now,
        r.bytes,
      );
    }
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
