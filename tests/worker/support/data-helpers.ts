/** What the Data view's worker tests share: its routes, a SQL call, and a table of numbers. */

import { expect } from "vitest";
import type { SqlRequest } from "../../../shared/api";
import type { ExportFormat, RowsQuery } from "../../../shared/data";
import { api, on } from "./helpers";

export type Project = { id: string; token: string };

export async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** A table's route input: the project's id and the table's name as the path's parameters, its token as the credential. */
export const onTable = (p: Project, table: string) => ({ params: { id: p.id, table }, credential: p.token });
/** A table export's route input. */
export const exportOf = (p: Project, table: string, format: ExportFormat) => ({
  params: { id: p.id, table, format },
  credential: p.token,
});

export async function sql(p: Project, query: string, params?: SqlRequest["params"]) {
  const response = await api.send("runSql", { ...on(p), body: { sql: query, params } });
  expect(response.status, await response.clone().text()).toBe(200);
}

export const rows = (p: Project, name: string, query: RowsQuery = {}) =>
  api.send("queryRows", { ...onTable(p, name), body: query });

export const tables = (p: Project) => api.call("listTables", on(p));
export const version = async (p: Project) => (await api.call("dataVersion", on(p))).version;

/** A table of `n` rows: id, a name, a score that repeats (ties), and NULLs every tenth row. */
export async function numbers(p: Project, n: number) {
  await sql(p, "CREATE TABLE nums (id INTEGER PRIMARY KEY, name TEXT, score INTEGER)");
  await sql(
    p,
    `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n})
     INSERT INTO nums SELECT i, 'row ' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 7 END FROM s`,
  );
}
