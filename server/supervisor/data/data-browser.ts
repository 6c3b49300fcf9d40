/**
 * The Data view's operations on the app's database: tables, schema, pages of rows, row edits,
 * exports, the storage.kv pairs, a change token for live updates, and reset. Every statement runs
 * through the SQL console's path (sql-console.ts: inside the facet, through the swap gate), built
 * by statements.ts from names the catalogue confirmed. Handed out by ProjectHandle.data() only, so
 * each caller got past the project's credential check. Tables: none (it reads the app's database).
 */
import { RpcTarget } from "cloudflare:workers";
import type { VersionData } from "../../../shared/api";
import {
  type CellRequest,
  type CellResponse,
  type DataVersionResponse,
  type DeleteRowsRequest,
  type DeleteRowsResponse,
  type ExportFormat,
  type InsertRowRequest,
  type KvDeleteRequest,
  KvPage,
  type KvPutRequest,
  type KvQuery,
  type ResetResponse,
  type RowResponse,
  type RowsQuery,
  type RowsResponse,
  type TableSchemaResponse,
  type TablesResponse,
  type UpdateRowRequest,
} from "../../../shared/data";
import type { NewLogEntry } from "../../../shared/logs";
import type { SqlResult } from "../../../shared/sql";
import type { ObjectRef } from "../../app-runtime/protocol";
import { KV_METHOD } from "../../app-runtime/protocol";
import { type Failure, failure, type Outcome, success } from "../../outcome";
import type { AppStub, Target } from "../app-host/app-stub";
import { objectLabel } from "../objects/object-reference";
import { type DatabaseAccess, dumpToSql, takeDump } from "../time-travel/dump";
import { sha256Hex } from "../versions/hashing";
import { listTables, type RunStatement, tableSchema, tableShape } from "./catalog";
import { exportStream } from "./export-stream";
import {
  countRows,
  decodeRow,
  deleteRows,
  insertRow,
  type Statement,
  selectCell,
  selectPage,
  updateRow,
  VIEW_COUNT_CAP,
} from "./statements";
import { columnIn, DataProblem, type TableShape } from "./table-shape";

/** SQLite's error for a statement, as the SQL console reported it. */
class StatementFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.error.message);
  }
}

const DEFAULT_PAGE_ROWS = 100;

/** The live app as the Data view reaches it (app-host/app-host.ts). */
export interface DataHost extends DatabaseAccess {
  /** Counts the facet's restarts, which start SQLite's change count again. */
  readonly generation: number;
  inApp<T>(label: string, work: (app: AppStub) => Promise<T>, target?: Target): Promise<T>;
  totalDataSize(): Promise<number>;
  deleteObject(ref: ObjectRef, reason: string): Promise<void>;
  deleteData(version: number | null, reason: string, beforeAbort?: () => Promise<void>): Promise<void>;
}

/** What the Data view works with, each a narrow view of the capability that has it. */
export interface DataParts {
  /** The SQL console (console/sql-console.ts): runs a statement on the database of `target`. */
  sql: { runOn(host: DataHost, target: Target, statement: Statement): Promise<Outcome<SqlResult>> };
  app: DataHost;
  store: { readonly project: { readonly currentVersion: number | null } | null };
  /** The data snapshots (time-travel/snapshots.ts): a reset snapshots the data first when it can. */
  snapshots: {
    unavailable(): string | null;
    take(version: number, measure: () => Promise<number>): Promise<VersionData>;
  };
  /** A reset queues behind saves, restores and promotions, as they queue behind each other (versions/saves.ts). */
  saves: { queue<T>(work: () => Promise<T>): Promise<T> };
  record(entries: NewLogEntry[]): void;
  /** Tells this supervisor instance's change tokens from an earlier one's. */
  epoch: string;
}

export class DataBrowser extends RpcTarget {
  #parts: DataParts;
  /** The database it shows: the App's, or a Worker project's object's. */
  #target: Target;

  constructor(parts: DataParts, target: Target = null) {
    super();
    this.#parts = parts;
    this.#target = target;
  }

  #run: RunStatement = async (statement: Statement): Promise<SqlResult> => {
    const result = await this.#parts.sql.runOn(this.#parts.app, this.#target, statement);
    if (!result.ok) throw new StatementFailed(result);
    return result.value;
  };

  /** Runs `work`, turning a bad name or value and SQLite's errors into answers. */
  async #answer<T>(work: () => Promise<T>, shape?: () => TableShape | undefined): Promise<Outcome<T>> {
    try {
      return success(await work());
    } catch (error) {
      if (error instanceof DataProblem) {
        const code = error.status === 404 ? "not_found" : error.status === 409 ? "conflict" : "bad_request";
        return failure(code, error.message);
      }
      if (error instanceof StatementFailed) {
        const column = columnIn(error.failure.error.message, shape?.());
        return column ? failure("sql_error", error.failure.error.message, { column }) : error.failure;
      }
      throw error;
    }
  }

  async tables(): Promise<Outcome<TablesResponse>> {
    return this.#answer(async () => {
      const [listed, version] = await Promise.all([listTables(this.#run), this.#version()]);
      return { ...listed, version };
    });
  }

  /** Runs `work` on the table a caller named, found in the catalogue (SQLite's errors name its columns). */
  async #onTable<T>(table: string, work: (shape: TableShape) => Promise<T>): Promise<Outcome<T>> {
    let shape: TableShape | undefined;
    return this.#answer(
      async () => {
        shape = await tableShape(this.#run, table);
        return work(shape);
      },
      () => shape,
    );
  }

  async schema(table: string): Promise<Outcome<TableSchemaResponse>> {
    return this.#onTable(table, (shape) => tableSchema(this.#run, shape));
  }

  async rows(table: string, query: RowsQuery): Promise<Outcome<RowsResponse>> {
    return this.#onTable(table, async (shape) => {
      const page = {
        offset: query.offset ?? 0,
        limit: query.limit ?? DEFAULT_PAGE_ROWS,
        sort: query.sort ?? [],
        filters: query.filters ?? [],
      };
      const [counted, selected] = await Promise.all([
        this.#run(countRows(shape, page.filters)),
        this.#run(selectPage(shape, page)),
      ]);
      // The console cuts a result at 8 MiB (sql-console.ts): a page of wide rows is read in parts.
      const raw = [...selected.rows];
      for (let part = selected; part.truncated && part.rows.length > 0 && raw.length < page.limit; ) {
        part = await this.#run(
          selectPage(shape, { ...page, offset: page.offset + raw.length, limit: page.limit - raw.length }),
        );
        raw.push(...part.rows);
      }
      return {
        columns: shape.columns,
        key: shape.key,
        readOnly: shape.readOnly,
        rows: raw.map((row) => decodeRow(shape, row)),
        ...countedTotal(Number(counted.rows[0]?.[0] ?? 0)),
        offset: page.offset,
        limit: page.limit,
      };
    });
  }

  /** Runs an INSERT or UPDATE ... RETURNING and answers the row as stored; no row back is `missing`. */
  async #writeRow(
    table: string,
    build: (shape: TableShape) => Statement,
    missing: (shape: TableShape) => DataProblem,
  ): Promise<Outcome<RowResponse>> {
    return this.#onTable(table, async (shape) => {
      const raw = (await this.#run(build(shape))).rows[0];
      if (!raw) throw missing(shape);
      return { row: decodeRow(shape, raw) };
    });
  }

  async insertRow(table: string, request: InsertRowRequest): Promise<Outcome<RowResponse>> {
    return this.#writeRow(
      table,
      (shape) => insertRow(shape, request.values),
      (shape) => new DataProblem(`The row was not inserted into ${shape.name}`, 409),
    );
  }

  async updateRow(table: string, request: UpdateRowRequest): Promise<Outcome<RowResponse>> {
    return this.#writeRow(
      table,
      (shape) => updateRow(shape, request.key, request.values),
      (shape) => new DataProblem(`No row of ${shape.name} has that key any more (deleted meanwhile?)`, 404),
    );
  }

  async deleteRows(table: string, request: DeleteRowsRequest): Promise<Outcome<DeleteRowsResponse>> {
    return this.#onTable(table, async (shape) => ({
      deleted: (await this.#run(deleteRows(shape, request.keys))).totalRows,
    }));
  }

  async cell(table: string, request: CellRequest): Promise<Outcome<CellResponse>> {
    return this.#onTable(table, async (shape) => {
      const row = (await this.#run(selectCell(shape, request.key, request.column))).rows[0];
      if (!row) throw new DataProblem(`No row of ${shape.name} has that key any more (deleted meanwhile?)`, 404);
      return { value: row[0] ?? null };
    });
  }

  /** The whole table as CSV or JSON, streamed (export-stream.ts). */
  async exportTable(table: string, format: ExportFormat): Promise<Outcome<{ name: string; body: ReadableStream }>> {
    return this.#onTable(table, async (shape) => ({ name: shape.name, body: exportStream(shape, format, this.#run) }));
  }

  /**
   * A token that changes whenever the database does: SQLite's count of rows changed on the facet's
   * connection (every write, whoever made it: a request, an alarm, a WebSocket message, the console),
   * the facet's restarts (which start that count again), and a hash of the schema (DDL changes no
   * rows). The view polls it and reloads only when it moves.
   */
  async version(): Promise<Outcome<DataVersionResponse>> {
    return this.#answer(async () => ({ version: await this.#version() }));
  }

  async #version(): Promise<string> {
    const result = await this.#run({
      sql: "SELECT total_changes(), (SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), char(10)) FROM sqlite_master)",
      params: [],
    });
    const [changes, schema] = result.rows[0] ?? [];
    const schemaHash = (await sha256Hex(String(schema ?? ""))).slice(0, 12);
    return `${this.#parts.epoch}.${this.#parts.app.generation}.${Number(changes ?? 0)}.${schemaHash}`;
  }

  async kvList(query: KvQuery): Promise<Outcome<KvPage>> {
    const answer = await this.#parts.app.inApp(
      "Data view: storage.kv",
      (app) =>
        app[KV_METHOD]({ op: "list", prefix: query.prefix, startAfter: query.startAfter, limit: query.limit ?? 100 }),
      this.#target,
    );
    // It came from the app's isolate: take only what the contract describes.
    const parsed = KvPage.safeParse(answer);
    return parsed.success ? success(parsed.data) : failure("internal", "The app's storage.kv listing was malformed");
  }

  async kvPut(request: KvPutRequest): Promise<Outcome<KvPage>> {
    await this.#parts.app.inApp(
      "Data view: storage.kv put",
      (app) => app[KV_METHOD]({ op: "put", key: request.key, value: request.value }),
      this.#target,
    );
    return this.kvList({ startAfter: undefined, prefix: request.key, limit: 1 });
  }

  async kvDelete(request: KvDeleteRequest): Promise<Outcome<{ deleted: number }>> {
    const deleted = await this.#parts.app.inApp(
      "Data view: storage.kv delete",
      (app) => app[KV_METHOD]({ op: "delete", keys: request.keys }),
      this.#target,
    );
    return success({ deleted: typeof deleted === "number" ? deleted : 0 });
  }

  /**
   * Drops all of the app's data: once requests in flight are drained, the facet and its database
   * are deleted (every table, every storage.kv pair), and the next request starts the app's class
   * on an empty database, which its constructor sets up again. When snapshots work, the data is
   * first snapshotted as the live version's (in the same swap, so nothing is written between), and
   * restoring the live version with its data undoes the reset.
   */
  async reset(): Promise<Outcome<ResetResponse>> {
    const { app, store, snapshots, saves, record } = this.#parts;
    return this.#answer(() =>
      saves.queue(async () => {
        const { tables } = await listTables(this.#run);
        const version = store.project?.currentVersion ?? null;
        let snapshot: VersionData | null = null;
        const takeSnapshot =
          version !== null && snapshots.unavailable() === null
            ? async () => {
                snapshot = await snapshots.take(version, () => app.totalDataSize());
              }
            : undefined;
        const target = this.#target;
        if (target) {
          // One object of a Worker project: its database goes, the others stay.
          await takeSnapshot?.();
          await app.deleteObject(target, `${objectLabel(target)}'s data was reset`);
        } else {
          await app.deleteData(version, "The app's data was reset", takeSnapshot);
        }
        const dropped = tables.length === 0 ? "no tables" : tables.map((t) => t.name).join(", ");
        const undo = (snapshot as VersionData | null)?.snapshot
          ? `; a snapshot was taken first: restore v${version} with its data to undo it`
          : "; no snapshot was taken, so it cannot be undone";
        record([
          {
            kind: "system",
            level: "warn",
            at: Date.now(),
            version,
            ...(target ? { object: objectLabel(target) } : {}),
            message: `${target ? `${objectLabel(target)}'s` : "the app's"} data was reset from the Data view: dropped ${dropped} and every storage.kv pair${undo}`,
          },
        ]);
        return { droppedTables: tables.map((t) => t.name), version, snapshot };
      }),
    );
  }

  /** The whole database as a SQL script (the dump fork and export use, rendered by `dumpToSql`). */
  async dumpSql(): Promise<Outcome<string>> {
    const dump = await takeDump(this.#parts.app, this.#target);
    return dump.ok ? success(dumpToSql(dump.value)) : dump;
  }
}

/** The count as the page says it: a view's past VIEW_COUNT_CAP is "at least" the cap. */
function countedTotal(counted: number): { total: number; totalCapped: boolean } {
  return counted > VIEW_COUNT_CAP
    ? { total: VIEW_COUNT_CAP, totalCapped: true }
    : { total: counted, totalCapped: false };
}
