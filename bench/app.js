// The small SQL-backed app every scenario runs. The same source is (a) saved to the supervisor as
// app.ts (it is plain JS, so it is valid TypeScript), (b) given verbatim to the minimal AppRunner,
// and (c) compiled into bench/worker.ts as the ordinary Durable Object StaticApp.
// The bench makes each save distinct by rewriting the REV line, so keep it exactly as it is.
import { DurableObject } from "cloudflare:workers";

const REV = 0;

export class App extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (k TEXT PRIMARY KEY, n INTEGER NOT NULL)");
  }

  fetch(request) {
    const url = new URL(request.url);
    const sql = this.ctx.storage.sql;
    const headers = { "x-app-rev": String(REV) };
    if (url.pathname === "/log") {
      const at = Date.now();
      console.log(`bench-log ${at} ${url.searchParams.get("i")}`);
      return Response.json({ at }, { headers });
    }
    if (url.pathname === "/seed") {
      const n = Number(url.searchParams.get("n") ?? 10000);
      sql.exec("CREATE TABLE IF NOT EXISTS big (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
      sql.exec("DELETE FROM big");
      sql.exec(
        "INSERT INTO big (id, v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x, 'row ' || x FROM c",
        n,
      );
      return Response.json({ rows: sql.exec("SELECT count(*) AS n FROM big").one().n }, { headers });
    }
    if (url.pathname === "/point") {
      const rows = sql.exec("SELECT * FROM big WHERE id = ?", Number(url.searchParams.get("id"))).toArray();
      return Response.json({ rows }, { headers });
    }
    if (url.pathname === "/big") {
      // Answers like the SQL console does: the first 500 rows and how many there were.
      const rows = [];
      let totalRows = 0;
      for (const row of sql.exec("SELECT * FROM big").raw()) {
        totalRows++;
        if (rows.length < 500) rows.push(row);
      }
      return Response.json({ rows, truncated: totalRows > rows.length, totalRows }, { headers });
    }
    sql.exec("INSERT INTO hits (k, n) VALUES ('hits', 1) ON CONFLICT (k) DO UPDATE SET n = n + 1");
    const { n } = sql.exec("SELECT n FROM hits WHERE k = 'hits'").one();
    return Response.json({ rev: REV, n }, { headers });
  }
}
