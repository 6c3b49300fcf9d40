/**
 * The Data view's operations on the app's database: tables, schema, pages of rows, row edits,
 * exports, the storage.kv pairs (kv-browser.ts), a change token for live updates, and reset
 * (data-reset.ts). What it works with is data-parts.ts's. Every statement runs
 * through the SQL console's path (sql-console.ts: inside the facet, through the swap gate), built
 * by statements.ts from names the catalogue confirmed. Handed out by ProjectHandle.data() only, so
 * each caller got past the project's credential check. Tables: none (it reads the app's database).
 */
import { RpcTarget } from "cloudflare:workers";
import type {
  CellRequest,
  CellResponse,
  DataVersionResponse,
  DeleteRowsRequest,
  DeleteRowsResponse,
  ExportFormat,
  InsertRowRequest,
  KvDeleteRequest,
  KvPage,
  KvPutRequest,
  KvQuery,
  ResetResponse,
  RowResponse,
  RowsQuery,
  RowsResponse,
  TableSchemaResponse,
  TablesResponse,
  UpdateRowRequest,
} from "../../../shared/data";
import type { SqlResult } from "../../../shared/sql";
import { type Failure, failure, type Outcome, success } from "../../outcome";
import type { Target } from "../app-host/app-stub";
import { dumpToSql, takeDump } from "../time-travel/dump";
import { sha256Hex } from "../versions/hashing";
import { listTables, type RunStatement, tableSchema, tableShape } from "./catalog";
import type { DataParts } from "./data-parts";
import { resetData } from "./data-reset";
import { exportStream } from "./export-stream";
import { kvDelete, kvList, kvPut } from "./kv-browser";
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

  /**
   * Drops all of the app's data, snapshotted first when snapshots work (data-reset.ts says how).
   */
  async reset(): Promise<Outcome<ResetResponse>> {
    return this.#answer(() => resetData(this.#parts, this.#target, this.#run));
  }

  async kvList(query: KvQuery): Promise<Outcome<KvPage>> {
    return kvList(this.#parts.app, this.#target, query);
  }

  async kvPut(request: KvPutRequest): Promise<Outcome<KvPage>> {
    return kvPut(this.#parts.app, this.#target, request);
  }

  async kvDelete(request: KvDeleteRequest): Promise<Outcome<{ deleted: number }>> {
    return kvDelete(this.#parts.app, this.#target, request);
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
