/**
 * Issue 13, items 6 and 7, as an attacker would try them: pages on other origins (an app's preview
 * page above all) driving the IDE's API from a visitor's browser, and the smaller holes: prototype
 * keys as names, lenient number parsing, reserved file and variable names, framing, TRACE.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../shared/api";
import { api, app, appWith, call, counterApp, createProject, deploy, ORIGIN, on, putCode } from "../support/helpers";

const APP_ORIGIN = "http://attacker.localhost:5173";

/** A request for the IDE's page (not the API, so not checked against the route table). */
const page = (headers: Record<string, string>) => exports.default.fetch(new Request(`${ORIGIN}/`, { headers }));

/** Headers a browser sends with a fetch from a page on `origin`. */
const fromPage = (site: string, origin = APP_ORIGIN, mode = "cors") => ({
  origin,
  "sec-fetch-site": site,
  "sec-fetch-mode": mode,
  "sec-fetch-dest": "empty",
});

describe("cross-site requests to the IDE's API", () => {
  it("refuses cross-site and same-site project creation, in every content type", async () => {
    for (const site of ["cross-site", "same-site"]) {
      for (const [type, body] of [
        ["text/plain", ""],
        ["text/plain", '{"name":"x"}'],
        ["application/x-www-form-urlencoded", "name=x"],
        ["application/json", '{"template":"blank"}'],
      ] as const) {
        const response = await call(api.path("createProject"), {
          method: "POST",
          headers: { ...fromPage(site), "content-type": type },
          body,
        });
        expect(response.status, `${site} ${type}`).toBe(403);
        expect(response.headers.get("access-control-allow-origin")).toBeNull();
      }
    }
  });

  it("refuses writes from another origin when the browser sends no fetch metadata", async () => {
    const response = await call(api.path("createProject"), {
      method: "POST",
      headers: { origin: APP_ORIGIN, "content-type": "text/plain" },
      body: "",
    });
    expect(response.status).toBe(403);
  });

  it("needs the JSON content type even for an empty body (no CORS-simple request creates a project)", async () => {
    const plain = await call(api.path("createProject"), {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "",
    });
    expect(plain.status).toBe(415);
    const none = await call(api.path("createProject"), { method: "POST" });
    expect(none.status).toBe(415);
    const json = await call(api.path("createProject"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "",
    });
    expect(json.status).toBe(201);
  });

  it("grants no CORS: preflights are refused and no response carries Access-Control-Allow-Origin", async () => {
    const preflight = await call(api.path("createProject"), {
      method: "OPTIONS",
      headers: {
        ...fromPage("same-site"),
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const read = await api.send("listTemplates", { headers: fromPage("same-site", APP_ORIGIN, "no-cors") });
    expect(read.status).toBe(403);
    const own = await api.send("listTemplates", { headers: fromPage("same-origin", ORIGIN) });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("still serves the IDE's own pages, agents without fetch metadata, and links from other sites", async () => {
    const project = await createProject();
    const own = await api.send("putCode", {
      ...on(project),
      headers: { "sec-fetch-site": "same-origin", origin: ORIGIN },
      body: { files: counterApp("own") },
    });
    expect(own.status).toBe(200);
    const agent = await putCode(project, counterApp("agent"));
    expect(agent.status).toBe(200);
    const link = await page({
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "navigate",
      "sec-fetch-dest": "document",
    });
    expect(link.status).not.toBe(403);
    const framed = await page({
      "sec-fetch-site": "same-site",
      "sec-fetch-mode": "navigate",
      "sec-fetch-dest": "iframe",
    });
    expect(framed.status).toBe(403);
  });

  it("the IDE cannot be framed and is not readable by other origins", async () => {
    const response = await api.send("listTemplates");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });

  it("answers locally only under this machine's names (a page on a rebound DNS name is refused)", async () => {
    // A page on attacker.example whose name now resolves to 127.0.0.1 is same-origin with itself.
    for (const host of ["attacker.example:5173", "localhost.attacker.example:5173"]) {
      const minted = await exports.default.fetch(
        new Request(`http://${host}/api/keys`, {
          method: "POST",
          headers: { origin: `http://${host}`, "sec-fetch-site": "same-origin" },
        }),
      );
      expect(minted.status).toBe(403);
      expect(((await minted.json()) as ErrorBody).error.message).toMatch(/answers on localhost and \*\.localhost only/);
    }
    for (const url of [`${ORIGIN}/api/health`, "http://127.0.0.1:5173/api/health", "http://[::1]:5173/api/health"]) {
      expect((await exports.default.fetch(new Request(url))).status).toBe(200);
    }
  });

  it("/mcp refuses other sites' pages in its own protocol's shape, before any credential is looked at", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/mcp`, {
        method: "POST",
        headers: { ...fromPage("same-site"), "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 }, id: null });
    const preflight = await exports.default.fetch(
      new Request(`${ORIGIN}/mcp`, { method: "OPTIONS", headers: fromPage("same-site") }),
    );
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("TRACE gets a clear 405 on the IDE and on an app's origin", async () => {
    const ide = await call(api.path("health"), { method: "TRACE" });
    expect(ide.status).toBe(405);
    expect(((await ide.json()) as ErrorBody).error.message).toMatch(/TRACE requests are not accepted/);
    const project = await createProject();
    await deploy(project, counterApp("app"));
    const onApp = await app(project, "/", { method: "TRACE" });
    expect(onApp.status).toBe(405);
  });
});

describe("smaller holes", () => {
  it("a template named __proto__ (or toString) is a clear 400, not a 500", async () => {
    for (const template of ["__proto__", "toString", "constructor"]) {
      const response = await api.send("createProject", { body: { template } });
      expect(response.status, template).toBe(400);
      expect(((await response.json()) as ErrorBody).error.message).toMatch(/Unknown template/);
    }
  });

  it("variables named __proto__ or after the IDE's bridges are refused with a reason", async () => {
    const project = await createProject();
    for (const name of ["__proto__", "__FACET_IDE_LOGS", "__facet_ide_x", "__FACET_IDE_ALARMS"]) {
      const response = await api.send("setEnv", {
        params: { id: project.id, name },
        credential: project.token,
        body: { value: "x" },
      });
      expect(response.status, name).toBe(400);
      expect(((await response.json()) as ErrorBody).error.message).toMatch(/__proto__|IDE's own/);
    }
    const fine = await api.send("setEnv", {
      params: { id: project.id, name: "constructor" },
      credential: project.token,
      body: { value: "arrives" },
    });
    expect(fine.status).toBe(200);
    await deploy(project, appWith(`    return Response.json(this.env);`));
    expect(await (await app(project)).json()).toEqual({ constructor: "arrives" });
  });

  it("versions are read by their decimal number only", async () => {
    const project = await createProject();
    await deploy(project, counterApp("v1"));
    for (const version of ["0x1", "1e0", "%201", "01", "1.0", "+1"]) {
      const response = await api.send("getVersion", { params: { id: project.id, version }, credential: project.token });
      expect(response.status, version).toBe(400);
    }
    expect(
      (await api.send("getVersion", { params: { id: project.id, version: 1 }, credential: project.token })).status,
    ).toBe(200);
  });

  it("files named like the IDE's own modules are refused, not silently replaced", async () => {
    const project = await createProject();
    for (const name of ["__facet_ide_main.js", "__facet_ide_logs.ts", "lib/__FACET_IDE_guard.js"]) {
      const response = await putCode(project, { "app.ts": counterApp("x")["app.ts"]!, [name]: "export {}" }, "app.ts");
      expect(response.status, name).toBe(400);
      expect(((await response.json()) as ErrorBody).error.message).toMatch(/IDE's own modules/);
    }
  });
});
