// Scenarios on the terminal's two duties: log latency (3) and the SQL console (4).
import { json } from "../client.mjs";
import { now, sleep, summarize } from "../stats.mjs";

/**
 * 3. The app's GET /log logs `bench-log <Date.now()> <i>` and returns the same timestamp. Latency is
 * measured from that timestamp to the line arriving on the project's WebSocket; the baseline is the
 * same request's HTTP response arriving at the bench (from the same timestamp).
 * @param {import("../client.mjs").Project} project
 */
export async function logLatency(project, { count, gapMs }) {
  const socket = await project.openSocket();
  /** @type {Map<string, number>} */
  const arrivals = new Map();
  socket.addEventListener("message", (event) => {
    const at = Date.now();
    const msg = JSON.parse(String(event.data));
    if (msg.type !== "logs") return;
    for (const e of msg.entries) {
      if (e.kind !== "console") continue;
      const m = /^bench-log (\d+) (\d+)$/.exec(e.message);
      if (m) arrivals.set(m[2], at);
    }
  });
  const toSocket = [];
  const toResponse = [];
  const sendToSocket = [];
  let missing = 0;
  try {
    for (let i = 0; i < count; i++) {
      const sent = Date.now();
      const res = await project.get(`/log?i=${i}`);
      const responded = Date.now();
      const { at } = json(res, "GET /log");
      const deadline = Date.now() + 5_000;
      while (!arrivals.has(String(i)) && Date.now() < deadline) await sleep(1);
      const arrived = arrivals.get(String(i));
      if (arrived === undefined) {
        missing++;
        continue;
      }
      toSocket.push(arrived - at);
      toResponse.push(responded - at);
      sendToSocket.push(arrived - sent);
      await sleep(gapMs);
    }
  } finally {
    socket.close();
  }
  return {
    logToSocketMs: summarize(toSocket),
    logToResponseMs: summarize(toResponse),
    requestSentToSocketMs: summarize(sendToSocket),
    missing,
  };
}

/**
 * The terminal socket takes at most 30 messages a second after a burst of 60 and drops the rest
 * unread (server/supervisor/console/terminal-sockets.ts, RATE_PER_S): the scenario's 130 queries back to
 * back lost their answers past the burst and waited for ever. So each query waits for its turn, at
 * most one every 40 ms, before its round trip is timed.
 */
const SOCKET_GAP_MS = 40;
const SOCKET_TIMEOUT_MS = 10_000;
let lastSocketSend = 0;

async function socketTurn() {
  const wait = lastSocketSend + SOCKET_GAP_MS - Date.now();
  if (wait > 0) await sleep(wait);
}

/** Sends `{type: "sql"}` on the terminal socket and resolves with the answer. */
function socketSql(socket, pending, sql, params) {
  lastSocketSend = Date.now();
  const id = `q${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`no answer to a SQL query on the terminal socket after ${SOCKET_TIMEOUT_MS / 1000} s`));
    }, SOCKET_TIMEOUT_MS);
    const settle = (fn) => (value) => {
      clearTimeout(timer);
      fn(value);
    };
    pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
    socket.send(JSON.stringify(params ? { type: "sql", id, sql, params } : { type: "sql", id, sql }));
  });
}

/**
 * 4. Round trips of the SQL console (HTTP and WebSocket) for a point query and for a 10,000-row
 * select the console truncates to 500 rows; the baseline is the same query as a route of the same
 * class deployed as a static Durable Object (GET /point, GET /big, which also keeps 500 rows).
 * @param {import("../client.mjs").Project} project (its app is the bench app)
 * @param {import("../client.mjs").StaticTarget} staticApp
 */
export async function sqlConsole(project, staticApp, { pointCount, bigCount, rows }) {
  for (const target of [project, staticApp]) {
    const seeded = json(await target.get(`/seed?n=${rows}`), "seed");
    if (seeded.rows !== rows) throw new Error(`seeded ${seeded.rows} rows, wanted ${rows}`);
  }
  const socket = await project.openSocket();
  const pending = new Map();
  socket.addEventListener("message", (event) => {
    const msg = JSON.parse(String(event.data));
    const waiter = pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.type === "sql-result") waiter.resolve(msg.result);
    else waiter.reject(new Error(msg.message));
  });

  const time = async (fn) => {
    const t = now();
    const out = await fn();
    return [now() - t, out];
  };
  const samples = { httpPoint: [], wsPoint: [], staticPoint: [], httpBig: [], wsBig: [], staticBig: [] };
  let bad = 0;
  const check = (ok) => {
    if (!ok) bad++;
  };
  try {
    for (let i = 0; i < pointCount; i++) {
      const id = 1 + ((i * 7919) % rows);
      const sql = "SELECT * FROM big WHERE id = ?";
      const [a, r1] = await time(() => project.sql(sql, [id]));
      await socketTurn();
      const [b, r2] = await time(() => socketSql(socket, pending, sql, [id]));
      const [c, r3] = await time(async () => json(await staticApp.get(`/point?id=${id}`)));
      check(r1.rows.length === 1 && r2.rows.length === 1 && r3.rows.length === 1);
      samples.httpPoint.push(a);
      samples.wsPoint.push(b);
      samples.staticPoint.push(c);
    }
    for (let i = 0; i < bigCount; i++) {
      const sql = "SELECT * FROM big";
      const [a, r1] = await time(() => project.sql(sql));
      await socketTurn();
      const [b, r2] = await time(() => socketSql(socket, pending, sql));
      const [c, r3] = await time(async () => json(await staticApp.get("/big")));
      for (const r of [r1, r2, r3]) check(r.truncated && r.totalRows === rows && r.rows.length === 500);
      samples.httpBig.push(a);
      samples.wsBig.push(b);
      samples.staticBig.push(c);
    }
  } finally {
    socket.close();
  }
  return { ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])), wrongAnswers: bad };
}
