/**
 * The bench's objects scenario (scenarios/objects.mjs) as ordinary Durable Objects, for its static
 * floor: `StaticCounterApp` is its App (one object, the name a row key), `StaticCounter` the object
 * its Worker reaches by name. The statement is the scenario's COUNT_SQL.
 */
import { DurableObject } from "cloudflare:workers";

const COUNT_SQL = "INSERT INTO counts (name, n) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1 RETURNING n";
const CREATE_SQL = "CREATE TABLE IF NOT EXISTS counts (name TEXT PRIMARY KEY, n INTEGER)";

/** The name a request counts: `/o/<name>`. */
export const counterName = (url: string): string => new URL(url).pathname.split("/")[2] ?? "";

export class StaticCounterApp extends DurableObject {
  override async fetch(request: Request): Promise<Response> {
    const name = counterName(request.url);
    this.ctx.storage.sql.exec(CREATE_SQL);
    const { n } = this.ctx.storage.sql.exec<{ n: number }>(COUNT_SQL, name).one();
    return new Response(`0 ${name} ${n}`);
  }
}

export class StaticCounter extends DurableObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(CREATE_SQL);
  }
  hit(name: string): number {
    return this.ctx.storage.sql.exec<{ n: number }>(COUNT_SQL, name).one().n;
  }
}
