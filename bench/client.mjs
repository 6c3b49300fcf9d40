// HTTP and WebSocket helpers for the bench. Node's fetch drops a custom Host header, and preview
// hosts (`<id>.localhost`) do not resolve from Node here, so requests go to 127.0.0.1 through
// node:http with the Host header set.
import { readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { apiClient, routes } from "./contract.mjs";

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
export function http(origin, options = {}) {
  return httpOnce(origin, options).catch((error) => {
    // A kept-alive socket the server closed just as it was reused: the request never reached it, so it
    // is sent again once, as Node's documentation of `request.reusedSocket` advises.
    if (error?.reusedSocket && error.code === "ECONNRESET") return httpOnce(origin, options);
    throw error;
  });
}

function httpOnce(origin, { method = "GET", path = "/", host, headers = {}, body } = {}) {
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
    req.on("error", (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
    req.setTimeout(60_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.end(body);
  });
}

/** Parses a JSON response, or throws with its status and body. */
export function json(res, what = "request") {
  if (res.status < 200 || res.status >= 300) throw new Error(`${what}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body);
}

/**
 * The API's typed client (shared/http/api-client.ts) on `origin`, sending through `http()` above (the
 * bench's keep-alive agent), with `headers` on every call.
 * @param {string} origin @param {Record<string, string>} [headers]
 */
export function apiAt(origin, headers = {}) {
  return apiClient(routes, {
    baseUrl: origin,
    headers,
    fetch: async (url, init) => {
      const { pathname, search } = new URL(url);
      const res = await http(origin, {
        method: init.method,
        path: pathname + search,
        headers: /** @type {Record<string, string>} */ (init.headers),
        body: /** @type {string | undefined} */ (init.body),
      });
      const answer = new Headers();
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") answer.set(name, value);
      return new Response(res.body, { status: res.status, headers: answer });
    },
  });
}

/**
 * A project on the real server: create, save, SQL console. The timed calls (save, sql) read their
 * answer with JSON.parse alone, as the bench always did, so the client's schema check adds no time
 * to what they measure; the others are parsed with their route's schema.
 */
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
    this.api = apiAt(origin, headers);
    this.on = { params: { id: this.id }, credential: this.token };
  }

  /**
   * @param {{ metering?: boolean, credential?: string, previewDomain?: string }} [options] metering: false
   *   creates it on the unmetered supervisor; `credential` (the access secret) and `previewDomain` for the
   *   build served as deployed
   */
  static async create(origin, name, { metering = true, credential, previewDomain } = {}) {
    const headers = metering ? {} : { "x-bench-metering": "off" };
    const created = await apiAt(origin, headers).call("createProject", {
      body: { name, template: "blank" },
      ...(credential ? { credential } : {}),
    });
    const project = new Project(origin, created, headers);
    if (previewDomain) project.host = `${created.id}.${previewDomain}`;
    return project;
  }

  /** A timed call's answer: its JSON, or an error with its status and body. */
  async #timed(name, body) {
    const response = await this.api.send(name, { ...this.on, body });
    return json({ status: response.status, body: await response.text() }, name);
  }

  /**
   * Saves `source` as app.ts, or `files` as they are (a Worker project's).
   * @param {string | Record<string, string>} source
   * @returns {Promise<{ version: number, codeId: string, created: boolean }>}
   */
  async save(source) {
    const files = typeof source === "string" ? { "app.ts": source } : source;
    return this.#timed("putCode", { files });
  }

  /** @returns {Promise<{ columns: string[], rows: unknown[][], truncated: boolean, totalRows: number }>} */
  async sql(sql, params) {
    return this.#timed("runSql", params ? { sql, params } : { sql });
  }

  /** Changes the project's limits, e.g. `{ requestsPerMinute: 1_000_000 }`. */
  async setLimits(limits) {
    return this.api.call("putLimits", { ...this.on, body: limits });
  }

  /** Turns request recording on or off (server/supervisor/requests/), e.g. `{ enabled: false }`. */
  async setRequestSettings(settings) {
    return this.api.call("putRequestSettings", { ...this.on, body: settings });
  }

  /** The project's snapshot status. */
  async snapshots() {
    return this.api.call("getSnapshots", this.on);
  }

  /** Sets the project's snapshot retention. */
  async snapshotSettings(settings) {
    return this.api.call("setSnapshotSettings", { ...this.on, body: settings });
  }

  get(path = "/") {
    return http(this.origin, { path, host: this.host, headers: this.headers });
  }

  /** Opens the terminal socket and resolves once the server said hello. */
  openSocket() {
    const url = this.api.url("terminal", { params: { id: this.id } }).replace(/^http/, "ws");
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
  /** `host`: RUNNER_HOST, or OBJECTS_RUNNER_HOST for the objects scenario's floor (bench/worker.ts). */
  constructor(origin, instance = "bench", host = RUNNER_HOST) {
    this.origin = origin;
    this.instance = instance;
    this.host = host;
  }

  /** `code`: AppRunner's module, or for the ObjectsRunner its modules by name (`main.js` first). */
  async setCode(code) {
    const res = await http(this.origin, {
      method: "POST",
      path: "/__bench/code",
      host: this.host,
      headers: { "x-bench-instance": this.instance },
      body: typeof code === "string" ? code : JSON.stringify(code),
    });
    if (res.status !== 200) throw new Error(`setCode: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }

  get(path = "/") {
    return http(this.origin, { path, host: this.host, headers: { "x-bench-instance": this.instance } });
  }
}

export const OBJECTS_RUNNER_HOST = "objects-runner.bench.localhost";
export const OBJECTS_STATIC_HOST = "objects-static.bench.localhost";
export const COUNTER_STATIC_HOST = "counter-static.bench.localhost";

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
