/**
 * The Data view's calls (shared/data-routes.ts), each answer parsed with its route's schema. The
 * view never writes SQL: it names tables, columns and keys, and the server builds the statements.
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
import { dataRoutes } from "../../shared/data-routes";
import { download, projectPath, request } from "../lib/api";

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

  #path(rest: string): string {
    const object = this.#object === null ? "" : `?object=${encodeURIComponent(this.#object)}`;
    return projectPath(this.#id, `/data${rest}${object}`);
  }

  #table(name: string, rest = ""): string {
    return this.#path(`/tables/${encodeURIComponent(name)}${rest}`);
  }

  tables() {
    return request(dataRoutes.listTables.response, this.#path("/tables"), { token: this.#token });
  }

  schema(table: string) {
    return request(dataRoutes.getTableSchema.response, this.#table(table), { token: this.#token });
  }

  rows(table: string, body: RowsQuery) {
    return request(dataRoutes.queryRows.response, this.#table(table, "/query"), {
      method: "POST",
      token: this.#token,
      body,
    });
  }

  insertRow(table: string, body: InsertRowRequest) {
    return request(dataRoutes.insertRow.response, this.#table(table, "/rows"), {
      method: "POST",
      token: this.#token,
      body,
    });
  }

  updateRow(table: string, body: UpdateRowRequest) {
    return request(dataRoutes.updateRow.response, this.#table(table, "/rows"), {
      method: "PATCH",
      token: this.#token,
      body,
    });
  }

  deleteRows(table: string, body: DeleteRowsRequest) {
    return request(dataRoutes.deleteRows.response, this.#table(table, "/rows"), {
      method: "DELETE",
      token: this.#token,
      body,
    });
  }

  cell(table: string, body: CellRequest) {
    return request(dataRoutes.getCell.response, this.#table(table, "/cell"), {
      method: "POST",
      token: this.#token,
      body,
    });
  }

  exportTable(table: string, format: ExportFormat): Promise<Blob> {
    return download(this.#table(table, `/export/${format}`), this.#token);
  }

  version() {
    return request(dataRoutes.dataVersion.response, this.#path("/version"), { token: this.#token });
  }

  kv(body: KvQuery) {
    return request(dataRoutes.listKv.response, this.#path("/kv/query"), { method: "POST", token: this.#token, body });
  }

  putKv(body: KvPutRequest) {
    return request(dataRoutes.putKv.response, this.#path("/kv"), { method: "PUT", token: this.#token, body });
  }

  deleteKv(body: KvDeleteRequest) {
    return request(dataRoutes.deleteKv.response, this.#path("/kv"), { method: "DELETE", token: this.#token, body });
  }

  /** The whole database as a SQL script. */
  dump(): Promise<Blob> {
    return download(this.#path("/dump"), this.#token);
  }

  reset() {
    return request(dataRoutes.resetData.response, this.#path("/reset"), {
      method: "POST",
      token: this.#token,
      body: { confirm: true },
    });
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
