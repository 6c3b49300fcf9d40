/**
 * The Data view's operations (`/api/projects/{id}/data/...`): each calls the supervisor's DataBrowser
 * (supervisor/data/) on the App's database or a Worker project's object's (`?object=`), reached
 * through the opened project, and releases its stub; exports answer a file.
 * Tables: none.
 */
import { type Failure, type Outcome, success } from "../outcome";
import type { DataBrowser } from "../supervisor/data/data-browser";
import type { ProjectHandle } from "../supervisor/handle/project-handle";
import { missingBody, type OperationGroup } from "./operation-types";

export const dataOperations = {
  listTables: async ({ query, project }) => data(project, query.object, "tables"),
  getTableSchema: async ({ params, query, project }) => data(project, query.object, "schema", params.table),
  queryRows: async ({ params, query, body, project }) => data(project, query.object, "rows", params.table, body ?? {}),
  insertRow: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "insertRow", params.table, body) : missingBody(),
  updateRow: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "updateRow", params.table, body) : missingBody(),
  deleteRows: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "deleteRows", params.table, body) : missingBody(),
  getCell: async ({ params, query, body, project }) =>
    body ? data(project, query.object, "cell", params.table, body) : missingBody(),
  exportTable: async ({ params, query, project }) => {
    const exported = await data(project, query.object, "exportTable", params.table, params.format);
    if (!exported.ok) return exported;
    const { name, body } = exported.value;
    const contentType = params.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    return success({ body, contentType, filename: `${name}.${params.format}` });
  },
  dataVersion: async ({ query, project }) => data(project, query.object, "version"),
  listKv: async ({ query, body, project }) => data(project, query.object, "kvList", body ?? {}),
  putKv: async ({ query, body, project }) => (body ? data(project, query.object, "kvPut", body) : missingBody()),
  deleteKv: async ({ query, body, project }) => (body ? data(project, query.object, "kvDelete", body) : missingBody()),
  dumpData: async ({ params, query, project }) => {
    const dump = await data(project, query.object, "dumpSql");
    if (!dump.ok) return dump;
    return success({ body: dump.value, contentType: "application/sql; charset=utf-8", filename: `${params.id}.sql` });
  },
  resetData: async ({ query, project }) => data(project, query.object, "reset"),
} satisfies OperationGroup;

type DataMethod = {
  [K in keyof DataBrowser]: DataBrowser[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof DataBrowser];
type DataCall<K extends DataMethod> = DataBrowser[K] extends (...args: infer A) => Promise<infer R> ? [A, R] : never;

/**
 * Calls a DataBrowser method through the opened project (on the object `object` names, for a Worker
 * project), and releases its stub as RPC stubs must be.
 */
async function data<K extends DataMethod>(
  project: Rpc.Stub<ProjectHandle>,
  object: string | undefined,
  method: K,
  ...args: DataCall<K>[0]
): Promise<DataCall<K>[1] | Failure> {
  // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
  const opened = (await project.data(object)) as unknown as Outcome<Rpc.Stub<DataBrowser>>;
  if (!opened.ok) return opened;
  const browser = opened.value;
  try {
    const call = browser[method] as unknown as (...a: DataCall<K>[0]) => Promise<unknown>;
    // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
    return (await call(...args)) as DataCall<K>[1];
  } finally {
    browser[Symbol.dispose]();
  }
}
