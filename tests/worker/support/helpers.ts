/** Helpers for worker tests: they drive the real entry point, as a client of the HTTP API would. */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { CreateProjectResponse, PutCodeResponse } from "../../../shared/api";
import { type ApiClient, apiClient } from "../../../shared/http/api-client";
import { routes } from "../../../shared/http/routes";
import { contractProblem } from "./contract";

export const ORIGIN = "http://localhost:5173";

/**
 * The typed client of the route table (shared/http/api-client.ts) through the real entry point; every
 * answer is checked against the route table before the test sees it.
 */
export const api: ApiClient<typeof routes> = apiClient(routes, {
  baseUrl: ORIGIN,
  fetch: (url, init) => checked(new Request(url, init)),
});

/** A project's route input: its id as the path's parameter and its token as the credential. */
export const on = (project: { id: string; token: string }) => ({
  params: { id: project.id },
  credential: project.token,
});

/**
 * A raw call of the HTTP API (its path from `api.path()`), for what the typed client will not send:
 * a malformed body or path, another method, headers of a test's own. Checked like every call.
 */
export async function call(
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return checked(new Request(`${ORIGIN}${path}`, { ...init, headers, body }));
}

/** Sends `request` to the worker's entry point and checks its answer against the route table. */
async function checked(request: Request): Promise<Response> {
  const response = await exports.default.fetch(request);
  if (response.status !== 101) {
    // A download that is not JSON (a route with `produces`: CSV, SQL) is checked for its status only.
    const type = response.headers.get("content-type") ?? "";
    const text = type === "" || /json/.test(type) ? await response.clone().text() : "";
    const json = text === "" ? undefined : JSON.parse(text);
    const problem = contractProblem(request.method, new URL(request.url).pathname, response.status, json);
    expect(problem, "the route table describes every answer").toBeNull();
  }
  return response;
}

let counter = 0;
/** A fresh project with a unique name and no code unless a template is asked for. */
export async function createProject(template = "blank"): Promise<CreateProjectResponse> {
  const name = `test-${Date.now().toString(36)}-${counter++}`;
  return api.call("createProject", { body: { name, template } });
}

export async function putCode(
  project: CreateProjectResponse,
  files: Record<string, string>,
  main?: string,
): Promise<Response> {
  return api.send("putCode", { ...on(project), body: { files, main } });
}

export async function deploy(project: CreateProjectResponse, files: Record<string, string>): Promise<PutCodeResponse> {
  const response = await putCode(project, files);
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return JSON.parse(body);
}

/** A request to the project's own origin, `<id>.localhost`. */
export function app(project: { id: string }, path = "/", init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`http://${project.id}.localhost:5173${path}`, init));
}

/** A WebSocket to the app's origin, accepted; `nextMessage()` returns the messages in order as they come. */
export async function openAppSocket(project: { id: string }, path = "/ws") {
  const response = await app(project, path, { headers: { upgrade: "websocket" } });
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  if (!socket) throw new Error("no socket");
  socket.accept();
  const received: string[] = [];
  socket.addEventListener("message", (e) => {
    received.push(String(e.data));
  });
  let read = 0;
  const nextMessage = async () => {
    for (let i = 0; i < 200 && received.length <= read; i++) await new Promise((r) => setTimeout(r, 10));
    if (received.length <= read) throw new Error(`no message on ${path} within 2 s`);
    return received[read++] ?? "";
  };
  return { socket, received, nextMessage, response };
}

/** An App class whose fetch body is `body`, in a single `app.ts`. */
export function appWith(body: string, extra = ""): Record<string, string> {
  return {
    "app.ts": `import { DurableObject } from "cloudflare:workers";
${extra}
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
${body}
  }
}
`,
  };
}

/** A counter app: each request inserts a row and answers `<label> rows=<n>`. */
export function counterApp(label: string): Record<string, string> {
  return appWith(
    `    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, label TEXT)");
    this.ctx.storage.sql.exec("INSERT INTO hits (label) VALUES (?)", ${JSON.stringify(label)});
    const { n } = this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM hits").one();
    console.log(${JSON.stringify(label)}, "hit", n);
    return new Response(${JSON.stringify(label)} + " rows=" + n);`,
  );
}
