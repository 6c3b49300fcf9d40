import { describe, expect, expectTypeOf, it } from "vitest";
import type { CodeResponse } from "../../../shared/api";
import { ApiError, apiClient, errorOf, pathOf } from "../../../shared/http/api-client";
import { ERROR_STATUS, type ErrorCode } from "../../../shared/http/error-codes";
import { routes } from "../../../shared/http/routes";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A client whose fetch records what it is given and answers `answer`. */
function fake(answer: () => Response) {
  const sent: Sent[] = [];
  const client = apiClient(routes, {
    baseUrl: "http://ide.test",
    headers: { "x-test": "1" },
    fetch: async (url, init) => {
      sent.push({
        url,
        method: init.method ?? "GET",
        headers: Object.fromEntries(new Headers(init.headers).entries()),
        body: typeof init.body === "string" ? init.body : undefined,
      });
      return answer();
    },
  });
  return { client, sent };
}

const code: CodeResponse = { version: 3, main: "app.ts", files: { "app.ts": "export {}" } };

describe("the API client", () => {
  it("builds each path from the route table, its parameters percent-encoded, and its query", () => {
    expect(pathOf(routes.getVersion, { params: { id: "demo", version: 3 } })).toBe("/api/projects/demo/versions/3");
    expect(pathOf(routes.health)).toBe("/api/health");
    const { client } = fake(() => Response.json({}));
    expect(client.path("setEnv", { params: { id: "demo", name: "A B/C" } })).toBe("/api/projects/demo/env/A%20B%2FC");
    expect(client.path("getMetrics", { params: { id: "demo" }, query: { window: "24h", object: "Room:a&b" } })).toBe(
      "/api/projects/demo/metrics?window=24h&object=Room%3Aa%26b",
    );
    expect(client.path("readLogs", { params: { id: "demo" }, query: { since: 5, limit: undefined } })).toBe(
      "/api/projects/demo/logs?since=5",
    );
    expect(client.url("terminal", { params: { id: "demo" } })).toBe("http://ide.test/api/projects/demo/ws");
  });

  it("sends the route's method, the credential, the client's headers and the JSON body", async () => {
    const { client, sent } = fake(() => Response.json({ version: 4, codeId: "c", created: true, warnings: [] }));
    const saved = await client.call("putCode", {
      params: { id: "demo" },
      body: { files: { "app.ts": "export {}" } },
      credential: "tok",
    });
    expect(saved.version).toBe(4);
    expect(sent).toEqual([
      {
        url: "http://ide.test/api/projects/demo/code",
        method: "PUT",
        headers: { authorization: "Bearer tok", "content-type": "application/json", "x-test": "1" },
        body: JSON.stringify({ files: { "app.ts": "export {}" } }),
      },
    ]);
  });

  it("sends {} for an optional body left out, and no body to a route that takes none", async () => {
    const { client, sent } = fake(() =>
      Response.json({ id: "p", token: "t", previewUrl: "http://p" }, { status: 201 }),
    );
    await client.call("createProject");
    await client.send("getCode", { params: { id: "p" } });
    expect(sent[0]).toMatchObject({ method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(sent[1]?.body).toBeUndefined();
    expect(sent[1]?.headers).not.toHaveProperty("content-type");
  });

  it("parses the answer with the route's response schema", async () => {
    const { client } = fake(() => Response.json(code));
    const answer = await client.call("getCode", { params: { id: "demo" }, credential: "tok" });
    expectTypeOf(answer).toEqualTypeOf<CodeResponse>();
    expect(answer).toEqual(code);

    const drifted = fake(() => Response.json({ version: "three" }));
    const error = await drifted.client.call("getCode", { params: { id: "demo" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, code: "bad_response" });
  });

  it("throws the API's error with its status, code, message and details", async () => {
    const body = {
      error: {
        code: "conflict",
        message: "v4 was saved elsewhere",
        details: { liveVersion: 4, diagnostics: [{ file: "app.ts", line: 1, column: 2, message: "x" }] },
      },
    };
    const { client } = fake(() => Response.json(body, { status: 409 }));
    const error = await client
      .call("putCode", { params: { id: "demo" }, body: { files: {} } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: "conflict",
      message: "v4 was saved elsewhere",
      liveVersion: 4,
      diagnostics: [{ file: "app.ts", line: 1, column: 2, message: "x" }],
      column: undefined,
      issues: [],
    });
  });

  it("reads a status without an error body as the code the table gives it", async () => {
    expect(await errorOf(new Response("<html>", { status: 404, statusText: "Not Found" }))).toMatchObject({
      status: 404,
      code: "not_found",
      message: "404 Not Found",
    });
    expect(await errorOf(new Response("", { status: 502 }))).toMatchObject({ status: 502, code: "http" });
  });

  it("turns a fetch that throws into a network error, and hands the raw answer to send()", async () => {
    const down = apiClient(routes, {
      fetch: () => Promise.reject(new TypeError("connection refused")),
    });
    await expect(down.call("health")).rejects.toMatchObject({ status: 0, code: "network" });
    const { client } = fake(() => new Response("id,name\n", { headers: { "content-type": "text/csv" } }));
    const response = await client.send("exportTable", {
      params: { id: "demo", table: "t", format: "csv" },
      credential: "tok",
    });
    expect(await response.text()).toBe("id,name\n");
  });

  it("types a call by its route: a wrong name, a missing parameter or a wrong body does not compile", () => {
    const { client } = fake(() => Response.json({}));
    const never = () => {
      // @ts-expect-error: no such route
      client.path("getProjects");
      // @ts-expect-error: getCode's path needs the project's id
      client.path("getCode");
      // @ts-expect-error: putCode's body needs files
      void client.call("putCode", { params: { id: "demo" }, body: { main: "app.ts" } });
      // @ts-expect-error: the terminal answers a WebSocket, not JSON
      void client.call("terminal", { params: { id: "demo" } });
      // @ts-expect-error: the metrics window is one of 1h, 24h, 30d
      client.path("getMetrics", { params: { id: "demo" }, query: { window: "1y" } });
    };
    expect(never).toBeTypeOf("function");
  });

  it("pairs every error code with one status", () => {
    const codes = Object.keys(ERROR_STATUS) as ErrorCode[];
    for (const code of codes) expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    // @ts-expect-error: not an error code
    expectTypeOf<"not_a_code">().toExtend<ErrorCode>();
  });
});
