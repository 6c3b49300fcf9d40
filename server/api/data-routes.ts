/**
 * The Data view's routes (shared/data-routes.ts), registered by routes.ts with its `route()`, so
 * they get the same validation and the project opened with the caller's token. Each hands over to
 * the supervisor's DataBrowser (server/supervisor/data/), reached through the opened project.
 */
import { dataRoutes } from "../../shared/data-routes";
import { errorResponse } from "../outcome";
import type { DataBrowser } from "../supervisor/data/data-browser";
import type { ProjectHandle } from "../supervisor/project-handle";
import type { Route } from "./routes";

type DataMethod = {
  [K in keyof DataBrowser]: DataBrowser[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof DataBrowser];
type DataCall<K extends DataMethod> = DataBrowser[K] extends (...args: infer A) => Promise<infer R> ? [A, R] : never;

/** Calls a DataBrowser method through the opened project, and releases its stub as RPC stubs must be. */
async function data<K extends DataMethod>(
  project: Rpc.Stub<ProjectHandle>,
  method: K,
  ...args: DataCall<K>[0]
): Promise<DataCall<K>[1]> {
  const browser = await project.data();
  try {
    const call = browser[method] as unknown as (...a: DataCall<K>[0]) => Promise<unknown>;
    // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
    return (await call(...args)) as DataCall<K>[1];
  } finally {
    browser[Symbol.dispose]();
  }
}

export function registerDataRoutes(route: Route): void {
  route(dataRoutes.listTables, async ({ project }) => data(project, "tables"));
  route(dataRoutes.getTableSchema, async ({ params, project }) => data(project, "schema", params.table));
  route(dataRoutes.queryRows, async ({ params, body, project }) => data(project, "rows", params.table, body ?? {}));
  route(dataRoutes.insertRow, async ({ params, body, project }) => data(project, "insertRow", params.table, body));
  route(dataRoutes.updateRow, async ({ params, body, project }) => data(project, "updateRow", params.table, body));
  route(dataRoutes.deleteRows, async ({ params, body, project }) => data(project, "deleteRows", params.table, body));
  route(dataRoutes.getCell, async ({ params, body, project }) => data(project, "cell", params.table, body));
  route(dataRoutes.exportTable, async ({ params, project }) => {
    const exported = await data(project, "exportTable", params.table, params.format);
    if (!exported.ok) return errorResponse(exported);
    const { name, body } = exported.value;
    const type = params.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    // RFC 6266: an ASCII fallback name and the real one, percent-encoded.
    const ascii = name.replace(/[^\w.-]/g, "_");
    const disposition = `attachment; filename="${ascii}.${params.format}"; filename*=UTF-8''${encodeURIComponent(name)}.${params.format}`;
    return new Response(body, { headers: { "content-type": type, "content-disposition": disposition } });
  });
  route(dataRoutes.dataVersion, async ({ project }) => data(project, "version"));
  route(dataRoutes.listKv, async ({ body, project }) => data(project, "kvList", body ?? {}));
  route(dataRoutes.putKv, async ({ body, project }) => data(project, "kvPut", body));
  route(dataRoutes.deleteKv, async ({ body, project }) => data(project, "kvDelete", body));
  route(dataRoutes.dumpData, async ({ params, project }) => {
    const dump = await data(project, "dumpSql");
    if (!dump.ok) return errorResponse(dump);
    return new Response(dump.value, {
      headers: {
        "content-type": "application/sql; charset=utf-8",
        "content-disposition": `attachment; filename="${params.id}.sql"`,
      },
    });
  });
  route(dataRoutes.resetData, async ({ project }) => data(project, "reset"));
}
