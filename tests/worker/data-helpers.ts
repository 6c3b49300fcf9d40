/** What the Data view's worker tests share: its routes, a SQL call, and a table of numbers. */
import { expect } from "vitest";
import type { DataVersionResponse, RowsQuery, TablesResponse } from "../../shared/data";
import { call } from "./helpers";

export type Project = { id: string; token: string };

export async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

export const base = (p: Project) => `/api/projects/${p.id}/data`;
export const table = (p: Project, name: string) => `${base(p)}/tables/${encodeURIComponent(name)}`;

export async function sql(p: Project, query: string, params?: unknown[]) {
  const response = await call(`/api/projects/${p.id}/sql`, {
    method: "POST",
    token: p.token,
    json: { sql: query, params },
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

export const rows = (p: Project, name: string, query: RowsQuery = {}) =>
  call(`${table(p, name)}/query`, { method: "POST", token: p.token, json: query });

export const tables = async (p: Project) => json<TablesResponse>(await call(`${base(p)}/tables`, { token: p.token }));
export const version = async (p: Project) =>
  (await json<DataVersionResponse>(await call(`${base(p)}/version`, { token: p.token }))).version;

/** A table of `n` rows: id, a name, a score that repeats (ties), and NULLs every tenth row. */
export async function numbers(p: Project, n: number) {
  await sql(p, "CREATE TABLE nums (id INTEGER PRIMARY KEY, name TEXT, score INTEGER)");
  await sql(
    p,
    `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n})
     INSERT INTO nums SELECT i, 'row ' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 7 END FROM s`,
  );
}
