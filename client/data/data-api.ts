/**
 * The Data view's calls (shared/http/data-routes.ts) through the IDE's API client, each answer parsed
 * with its route's schema. The view never writes SQL: it names tables, columns and keys, and the
 * server builds the statements.
 */
import type {
  CellRequest,
  DeleteRowsRequest,
  ExportFormat,
  InsertRowRequest,
  KvDeleteRequest,
  KvPutRequest,
  KvQuery,
  RowsQuery,
  UpdateRowRequest,
} from "../../shared/data";
import { blobOf, client } from "../lib/api";

export class DataApi {
  readonly #id: string;
  readonly #token: string;
  /** A Worker project's object (its label or ID) whose database the calls are about; null for an App project. */
  readonly #object: string | null;

  constructor(id: string, token: string, object: string | null = null) {
    this.#id = id;
    this.#token = token;
    this.#object = object;
  }

  /** The project, the object and the credential every call carries. */
  #on() {
    return { params: { id: this.#id }, query: { object: this.#object ?? undefined }, credential: this.#token };
  }

  /** The same, for a call about one table. */
  #onTable(table: string) {
    return { ...this.#on(), params: { id: this.#id, table } };
  }

  tables() {
    return client.call("listTables", this.#on());
  }

  schema(table: string) {
    return client.call("getTableSchema", this.#onTable(table));
  }

  rows(table: string, body: RowsQuery) {
    return client.call("queryRows", { ...this.#onTable(table), body });
  }

  insertRow(table: string, body: InsertRowRequest) {
    return client.call("insertRow", { ...this.#onTable(table), body });
  }

  updateRow(table: string, body: UpdateRowRequest) {
    return client.call("updateRow", { ...this.#onTable(table), body });
  }

  deleteRows(table: string, body: DeleteRowsRequest) {
    return client.call("deleteRows", { ...this.#onTable(table), body });
  }

  cell(table: string, body: CellRequest) {
    return client.call("getCell", { ...this.#onTable(table), body });
  }

  async exportTable(table: string, format: ExportFormat): Promise<Blob> {
    const on = this.#onTable(table);
    return blobOf(await client.send("exportTable", { ...on, params: { ...on.params, format } }));
  }

  version() {
    return client.call("dataVersion", this.#on());
  }

  kv(body: KvQuery) {
    return client.call("listKv", { ...this.#on(), body });
  }

  putKv(body: KvPutRequest) {
    return client.call("putKv", { ...this.#on(), body });
  }

  deleteKv(body: KvDeleteRequest) {
    return client.call("deleteKv", { ...this.#on(), body });
  }

  /** The whole database as a SQL script. */
  async dump(): Promise<Blob> {
    return blobOf(await client.send("dumpData", this.#on()));
  }

  reset() {
    return client.call("resetData", { ...this.#on(), body: { confirm: true } });
  }
}

/** Hands a Blob to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
