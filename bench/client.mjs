// HTTP and WebSocket helpers for the bench. Node's fetch drops a custom Host header, and preview
// hosts (`<id>.localhost`) do not resolve from Node here, so requests go to 127.0.0.1 through
// node:http with the Host header set.
import { readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";

const agent = new Agent({ keepAlive: true, maxSockets: 16 });
export const APP_SOURCE = readFileSync(new URL("./app.js", import.meta.url), "utf8");
export const RUNNER_HOST = "runner.bench.localhost";
export const STATIC_HOST = "static.bench.localhost";

/** The bench app with a distinct REV, so every save is new code. */
export function appSource(rev) {
  const source = APP_SOURCE.replace(/^const REV = \d+;$/m, `const REV = ${rev};`);
  if (source === APP_SOURCE && rev !== 0) throw new Error("bench/app.js lost its `const REV = 0;` line");
  return source;
}

/**
 * @typedef {{ status: number, headers: import("node:http").IncomingHttpHeaders, body: string }} HttpResponse
 * @param {string} origin http://127.0.0.1:PORT
 * @param {{ method?: string, path?: string, host?: string, headers?: Record<string, string>, body?: string }} opts
 * @returns {Promise<HttpResponse>}
 */
export function http(origin, { method = "GET", path = "/", host, headers = {}, body } = {}) {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        agent,
        headers: { ...headers, ...(host ? { host: `${host}:${url.port}` } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.end(body);
  });
}

/** Parses a JSON response, or throws with its status and body. */
export function json(res, what = "request") {
  if (res.status < 200 || res.status >= 300) throw new Error(`${what}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body);
}

/** A project on the real server: create, save, SQL console. */
export class Project {
  /**
   * @param {string} origin @param {{ id: string, token: string }} created
   * @param {Record<string, string>} headers sent with every request (the unmetered supervisor's header)
   */
  constructor(origin, created, headers = {}) {
    this.origin = origin;
    this.id = created.id;
    this.token = created.token;
    this.host = `${created.id}.localhost`;
    this.headers = headers;
  }

  /** @param {{ metering?: boolean }} [options] metering: false creates it on the unmetered supervisor */
  static async create(origin, name, { metering = true } = {}) {
    const headers = metering ? {} : { "x-bench-metering": "off" };
    const body = JSON.stringify({ name, template: "blank" });
    const res = await http(origin, {
      method: "POST",
      path: "/api/projects",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    return new Project(origin, json(res, "create project"), headers);
  }

  #api(method, path, payload) {
    return http(this.origin, {
      method,
      path: `/api/projects/${this.id}${path}`,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json", ...this.headers },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  }

  /**
   * Saves `source` as app.ts, or `files` as they are (a Worker project's).
   * @param {string | Record<string, string>} source
   * @returns {Promise<{ version: number, codeId: string, created: boolean }>}
   */
  async save(source) {
    const files = typeof source === "string" ? { "app.ts": source } : source;
    return json(await this.#api("PUT", "/code", { files }), "save");
  }

  /** @returns {Promise<{ columns: string[], rows: unknown[][], truncated: boolean, totalRows: number }>} */
  async sql(sql, params) {
    return json(await this.#api("POST", "/sql", params ? { sql, params } : { sql }), "sql");
  }

  /** Changes the project's limits (PUT /limits), e.g. `{ requestsPerMinute: 1_000_000 }`. */
  async setLimits(limits) {
    return json(await this.#api("PUT", "/limits", limits), "limits");
  }

  /** The project's snapshot status (GET /snapshots). */
  async snapshots() {
    return json(await this.#api("GET", "/snapshots"), "snapshots");
  }

  /** Sets the project's snapshot retention (PUT /snapshots). */
  async snapshotSettings(settings) {
    return json(await this.#api("PUT", "/snapshots", settings), "snapshot settings");
  }

  get(path = "/") {
    return http(this.origin, { path, host: this.host, headers: this.headers });
  }

  /** Opens the terminal socket and resolves once the server said hello. */
  openSocket() {
    const url = `${this.origin.replace(/^http/, "ws")}/api/projects/${this.id}/ws`;
    const socket = new WebSocket(url, ["facet-ide", `token.${this.token}`]);
    return new Promise((resolve, reject) => {
      socket.addEventListener("error", () => reject(new Error("terminal socket failed")), { once: true });
      socket.addEventListener(
        "message",
        (event) => {
          const msg = JSON.parse(String(event.data));
          if (msg.type === "hello") resolve(socket);
          else reject(new Error(`expected hello, got ${msg.type}`));
        },
        { once: true },
      );
    });
  }
}

/** The minimal AppRunner baseline (bench/worker.ts), one Durable Object per `instance`. */
export class Runner {
  constructor(origin, instance = "bench") {
    this.origin = origin;
    this.instance = instance;
    this.host = RUNNER_HOST;
  }

  async setCode(source) {
    const res = await http(this.origin, {
      method: "POST",
      path: "/__bench/code",
      host: RUNNER_HOST,
      headers: { "x-bench-instance": this.instance },
      body: source,
    });
    if (res.status !== 200) throw new Error(`setCode: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }

  get(path = "/") {
    return http(this.origin, { path, host: RUNNER_HOST, headers: { "x-bench-instance": this.instance } });
  }
}

/** The same App class as an ordinary Durable Object. */
export class StaticTarget {
  constructor(origin, instance = "bench") {
    this.origin = origin;
    this.instance = instance;
    this.host = STATIC_HOST;
  }

  get(path = "/") {
    return http(this.origin, { path, host: STATIC_HOST, headers: { "x-bench-instance": this.instance } });
  }
}
