/**
 * Worker projects behave as on Cloudflare where real code depends on it (issue 25): redirects are
 * answers, not followed, on every hop; `request.cf` reaches objects; `ctx.exports` namespaces; module
 * rules. Each test is in the shape of the public code that broke.
 */
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import { api, app, createProject, deploy, on, putCode } from "../support/helpers";

const config = (extra = "") => `{
  "name": "fidelity-test",
  "main": "src/index.ts",
  "compatibility_date": "2026-01-01",
  "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "Room" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Room"] }],${extra}
}
`;

function workerProject(index: string, extra = ""): Record<string, string> {
  return { "wrangler.jsonc": config(extra), "src/index.ts": index };
}

// Cloudflare's fetch() (and a stub's fetch(), which takes a Request the same way) follows a redirect
// only with `redirect: "follow"`; a Request the Worker received has redirect "manual", and
// Response.redirect(url, 302) is a 302 with a Location header. An object's redirect therefore reaches
// the Worker as that 302 when the Worker passes its request on.
const redirecting = `import { DurableObject } from "cloudflare:workers";

export class Room extends DurableObject {
  async fetch(request: Request) {
    const url = new URL(request.url);
    if (url.pathname === "/login") return Response.redirect("https://auth.example.com/authorize?state=x", 302);
    return new Response("room at " + url.pathname);
  }
}

export default {
  async fetch(request: Request, env: Env) {
    const url = new URL(request.url);
    if (url.pathname === "/login") {
      const answer = await env.ROOMS.getByName("lobby").fetch(request);
      return new Response(answer.status + " " + answer.headers.get("location"), { status: 200 });
    }
    if (url.pathname === "/go") return Response.redirect("https://example.com/authorize", 302);
    return new Response("worker at " + url.pathname);
  },
};
`;

describe("redirects are answers, on every hop", () => {
  it("an object's Response.redirect reaches the Worker's stub.fetch() as a 302 with its Location", async () => {
    const project = await createProject();
    await deploy(project, workerProject(redirecting));
    const response = await app(project, "/login");
    expect(await response.text()).toBe("302 https://auth.example.com/authorize?state=x");
  });

  it("the app's redirect comes back from requestApp (and its origin) as a 302 with Location", async () => {
    const project = await createProject();
    await deploy(project, workerProject(redirecting));
    const answer = await api.call("requestApp", { ...on(project), body: { path: "/go" } });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("https://example.com/authorize");
    // At the app's origin too (redirect "manual" as a browser's navigation reaches a Worker; a client
    // that asks to follow does so itself, outside the app).
    const direct = await app(project, "/go", { redirect: "manual" });
    expect(direct.status).toBe(302);
    expect(direct.headers.get("location")).toBe("https://example.com/authorize");
  });
});

// workerd carries a Request's `cf` with it when it is passed on (to fetch() or a stub's fetch()), and
// a Request made without one has `cf` undefined; the object sees what the Worker's Request had.
const visitor = `import { DurableObject } from "cloudflare:workers";

export class Room extends DurableObject {
  async fetch(request: Request) {
    if (request.cf === undefined) return new Response("no cf");
    return new Response("visitor from " + request.cf.city + ", " + request.cf.country);
  }
}

export default {
  async fetch(request: Request, env: Env) {
    const stub = env.ROOMS.getByName("lobby");
    if (new URL(request.url).pathname === "/fresh") return stub.fetch("http://room/fresh");
    return stub.fetch(request);
  },
};
`;

describe("request.cf reaches objects", () => {
  it("the object behind stub.fetch(request) reads request.cf.city as the Worker saw it", async () => {
    const project = await createProject();
    await deploy(project, workerProject(visitor));
    const cf = { city: "Lisbon", country: "PT" };
    const response = await app(project, "/", { cf } as RequestInit);
    expect(await response.text()).toBe("visitor from Lisbon, PT");
    // A Request the Worker made itself has no cf, and neither has the object's.
    expect(await (await app(project, "/fresh", { cf } as RequestInit)).text()).toBe("no cf");
  });
});

// Cloudflare's ctx.exports (Worker context docs, and its own fixtures that call
// ctx.exports.<Class>.getByName): every exported Durable Object class with storage (created by a
// migration) is a Durable Object namespace there, bound in durable_objects.bindings or not; `default`
// is the Worker's own loopback.
const unboundCounter = `import { DurableObject } from "cloudflare:workers";

export class Room extends DurableObject {
  async fetch() {
    return new Response("room");
  }
}

export class Counter extends DurableObject {
  increment() {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (at INTEGER)");
    this.ctx.storage.sql.exec("INSERT INTO hits VALUES (?)", Date.now());
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM hits").one().n;
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const exports = (ctx as unknown as { exports: Record<string, DurableObjectNamespace<Counter>> }).exports;
    if (new URL(request.url).pathname === "/keys") return Response.json(Object.keys(exports).sort());
    const n = await exports.Counter.getByName("x").increment();
    const viaId = exports.Room.get(exports.Room.idFromName("lobby"));
    return new Response("n=" + n + " " + (await (await viaId.fetch("http://room/")).text()));
  },
};
`;

describe("ctx.exports", () => {
  it("has a namespace for every exported Durable Object class, bound or not, and the object keeps its data", async () => {
    const project = await createProject();
    const files = workerProject(unboundCounter);
    files["wrangler.jsonc"] = config().replace(
      '"new_sqlite_classes": ["Room"] }',
      '"new_sqlite_classes": ["Room"] }, { "tag": "v2", "new_sqlite_classes": ["Counter"] }',
    );
    await deploy(project, files);
    expect(await (await app(project, "/")).text()).toBe("n=1 room");
    expect(await (await app(project, "/")).text()).toBe("n=2 room");
    expect(await (await app(project, "/keys")).json()).toEqual(["Counter", "Room", "default"]);
  });
});

// wrangler's module rules (its docs' "Bundling" page and its default rules): .txt, .html and .sql are
// Text, .bin Data, .wasm CompiledWasm; a project's rules come first, and a rule of a type without
// fallthrough ends that type's defaults. A Data import is an ArrayBuffer, a Text import a string.
const chat = `import { DurableObject } from "cloudflare:workers";
import HTML from "./chat.html";
import schema from "./schema.sql";

export class Room extends DurableObject {
  async fetch() {
    this.ctx.storage.sql.exec(schema);
    return new Response("tables ok");
  }
}

export default {
  async fetch(request: Request, env: Env) {
    if (new URL(request.url).pathname === "/room") return env.ROOMS.getByName("a").fetch(request);
    return new Response(HTML, { headers: { "content-type": "text/html;charset=UTF-8", "x-kind": HTML instanceof ArrayBuffer ? "data" : typeof HTML } });
  },
};
`;

describe("module rules", () => {
  it("imports a page through a Data rule (wrangler.jsonc) and .sql through the default Text rule", async () => {
    const project = await createProject();
    const files = workerProject(
      chat,
      `\n  "rules": [{ "type": "Data", "globs": ["**/*.html"], "fallthrough": true }],`,
    );
    files["src/chat.html"] = "<!doctype html><p>chat</p>";
    files["src/schema.sql"] = "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, text TEXT)";
    await deploy(project, files);
    const page = await app(project, "/");
    expect(page.headers.get("x-kind")).toBe("data");
    expect(await page.text()).toBe("<!doctype html><p>chat</p>");
    expect(await (await app(project, "/room")).text()).toBe("tables ok");
  });

  it("takes rules from wrangler.toml, and an import no rule matches fails at its own line", async () => {
    const project = await createProject();
    const toml = `name = "rules"
main = "src/index.ts"
compatibility_date = "2026-01-01"
[[rules]]
type = "Text"
globs = ["**/*.md"]
`;
    const index = `import notes from "./notes.md";
export default { fetch: () => new Response(notes) };
`;
    await deploy(project, { "wrangler.toml": toml, "src/index.ts": index, "src/notes.md": "# notes" });
    expect(await (await app(project, "/")).text()).toBe("# notes");
    const response = await putCode(project, {
      "wrangler.toml": toml,
      "src/index.ts": `// a page\n\nimport page from "./page.htm";\nexport default { fetch: () => new Response(page) };\n`,
      "src/page.htm": "<p>x</p>",
    });
    expect(response.status).toBe(422);
    const diagnostic = ((await response.json()) as ErrorBody).error.details?.diagnostics?.[0];
    expect(diagnostic).toMatchObject({ file: "src/index.ts", line: 3 });
    expect(diagnostic?.message).toContain("no module rule matches src/page.htm");
  });
});

// workerd rethrows an exception from a Durable Object at the caller with its type and message (the
// built-in error types, as RPC does), marked `remote` (Cloudflare's Durable Objects error handling docs).
const throwing = `import { DurableObject } from "cloudflare:workers";

export class Room extends DurableObject {
  async fetch(request: Request) {
    throw new TypeError("seat " + new URL(request.url).pathname + " is taken");
  }
}

export default {
  async fetch(request: Request, env: Env) {
    try {
      await env.ROOMS.getByName("a").fetch(request);
      return new Response("no error");
    } catch (error) {
      const e = error as Error & { remote?: boolean };
      return Response.json({ isTypeError: e instanceof TypeError, name: e.name, message: e.message, remote: e.remote });
    }
  },
};
`;

describe("errors across a stub", () => {
  it("an object's TypeError from fetch() reaches the Worker as a TypeError with its message", async () => {
    const project = await createProject();
    await deploy(project, workerProject(throwing));
    expect(await (await app(project, "/12A")).json()).toEqual({
      isTypeError: true,
      name: "TypeError",
      message: "seat /12A is taken",
      remote: true,
    });
  });
});

describe("stack traces", () => {
  it("name the project's own .ts file and line", async () => {
    const project = await createProject();
    const index = `export default {
  async fetch() {
    const seats: string[] = [];
    return new Response(seats[3].toUpperCase());
  },
};
`;
    await deploy(project, { "wrangler.jsonc": '{ "main": "src/index.ts" }', "src/index.ts": index });
    const answer = await api.call("requestApp", { ...on(project), body: { path: "/" } });
    const thrown = answer.logs.find((l) => l.kind === "exception");
    expect(thrown && "stack" in thrown ? thrown.stack : "").toContain("src/index.ts:4");
  });
});
