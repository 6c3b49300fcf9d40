/**
 * Who reaches the MCP server at /mcp, and what a malformed or oversized call gets: a key its own
 * projects only, a project token its project only, 401 before any message is read, batches bounded,
 * an oversized body read to its end and answered 413, a malformed call an error result.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_BATCH_MESSAGES, MAX_MCP_BODY_BYTES } from "../../../server/mcp/server";
import { tools } from "../../../server/mcp/tools";
import { sha256Hex } from "../../../server/supervisor/versions/hashing";
import { call, createProject, ORIGIN } from "../support/helpers";
import { callOk, connect, mintKey, textOf, workerFetch } from "../support/mcp-client";

const mcpHeaders = (bearer: string) => ({
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  authorization: `Bearer ${bearer}`,
});

const toolsListBatch = (size: number) =>
  Array.from({ length: size }, (_, i) => ({ jsonrpc: "2.0", id: i + 1, method: "tools/list", params: {} }));

describe("MCP at /mcp: access and bad calls", () => {
  it("a key reaches its own projects only; a project token reaches its project only", async () => {
    const mine = await connect(await mintKey());
    const theirs = await connect(await mintKey());
    const first = String((await callOk(mine, "create_project", { template: "blank" })).id);
    const second = await callOk(theirs, "create_project", { template: "blank" });
    expect(await callOk(mine, "list_projects")).toMatchObject({ projects: [{ id: first }] });

    const refused = await theirs.callTool({ name: "get_project", arguments: { project: first } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^This agent key does not open this project/);

    const byToken = await connect(String(second.token));
    expect(await callOk(byToken, "get_project", { project: second.id })).toMatchObject({ id: second.id });
    const foreign = await byToken.callTool({ name: "read_code", arguments: { project: first } });
    expect(textOf(foreign)).toMatch(
      /^This token does not open this project \(|^This token does not open this project\n/,
    );
    const listing = await byToken.callTool({ name: "list_projects", arguments: {} });
    expect(textOf(listing)).toMatch(/needs an agent key/);
    for (const client of [mine, theirs, byToken]) await client.close();
  });

  it("refuses a missing or unknown credential with 401, and other sites' pages", async () => {
    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const post = (headers: Record<string, string>) =>
      workerFetch(`${ORIGIN}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body: JSON.stringify(initialize),
      });
    for (const headers of [{}, { authorization: "Bearer fk_not-a-key" }] as Record<string, string>[]) {
      const response = await post(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32001 }, id: null });
    }
    await expect(connect("fk_not-a-key")).rejects.toThrow();
    const key = await mintKey();
    const fromApp = await post({ authorization: `Bearer ${key}`, origin: "http://evil.localhost:5173" });
    expect(fromApp.status).toBe(403);
    const crossSite = await post({ authorization: `Bearer ${key}`, "sec-fetch-site": "same-site" });
    expect(crossSite.status).toBe(403);
    expect((await post({ authorization: `Bearer ${key}`, origin: ORIGIN })).status).toBe(200);
    const get = await workerFetch(`${ORIGIN}/mcp`, { headers: { authorization: `Bearer ${key}` } });
    expect(get.status).toBe(405);
  });

  it("does no work for a bearer that is not a credential of this server: 401 before any message is read", async () => {
    const post = (bearer: string, body: string) =>
      workerFetch(`${ORIGIN}/mcp`, { method: "POST", headers: mcpHeaders(bearer), body });
    const project = await createProject();
    // Issue 24's attack: 100 tools/list in one batch with any bearer at all was answered (6.6 MB).
    for (const bearer of ["x", "a".repeat(43), `fk_${"a".repeat(43)}`, `${project.token}x`]) {
      const response = await post(bearer, JSON.stringify(toolsListBatch(100)));
      expect(response.status, bearer).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const text = await response.text();
      expect(text.length).toBeLessThan(400);
      expect(JSON.parse(text)).toMatchObject({ jsonrpc: "2.0", error: { code: -32001 }, id: null });
    }
    // A project's token made through the API is known, so its batches within the bound are answered.
    const listed = await post(project.token, JSON.stringify(toolsListBatch(2)));
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as unknown[]).length).toBe(2);
  });

  it("bounds a JSON-RPC batch to 20 messages, for every caller", async () => {
    const key = await mintKey();
    const post = (body: string) => workerFetch(`${ORIGIN}/mcp`, { method: "POST", headers: mcpHeaders(key), body });
    const full = await post(JSON.stringify(toolsListBatch(MAX_BATCH_MESSAGES)));
    expect(full.status).toBe(200);
    const answers = (await full.json()) as { id: number; result: { tools: unknown[] } }[];
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(answers[19]?.result.tools).toHaveLength(tools.length);
    for (const size of [21, 100]) {
      const refused = await post(JSON.stringify(toolsListBatch(size)));
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        jsonrpc: "2.0",
        error: { code: -32600, message: expect.stringMatching(/at most 20 messages \(this one has \d+\)/) },
        id: null,
      });
    }
    // What does not parse is still the SDK's to answer, as before.
    const garbled = await post("{not json");
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: { code: -32700 } });
    const wrongType = await workerFetch(`${ORIGIN}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders(key), "content-type": "text/plain" },
      body: "hello",
    });
    expect(wrongType.status).toBe(415);
  });

  it("reads an oversized body to its end and answers 413, so the client gets the answer", async () => {
    const key = await mintKey();
    for (const bearer of [key, null]) {
      // 20 MiB in 64 KiB pieces, counted as the worker reads them.
      const piece = new Uint8Array(65_536).fill(0x20);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 20 * 1_048_576) return controller.close();
          sent += piece.byteLength;
          controller.enqueue(piece);
        },
      });
      const headers = bearer ? mcpHeaders(bearer) : { ...mcpHeaders(key), authorization: "" };
      const response = await workerFetch(`${ORIGIN}/mcp`, {
        method: "POST",
        headers,
        body,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(sent, "bytes the worker read before it answered").toBe(20 * 1_048_576);
      expect(await response.json()).toMatchObject({
        jsonrpc: "2.0",
        error: { message: `Request bodies are limited to ${MAX_MCP_BODY_BYTES} bytes` },
      });
    }
  });

  it("knows a project token made before tokens were recorded once the IDE has opened its project", async () => {
    // A project as the IDE made them before: in its supervisor, with no record of its token.
    const id = `old-${Date.now().toString(36)}`;
    const token = "b".repeat(43);
    const created = await env.SUPERVISOR.getByName(id).create(id, await sha256Hex(token), null);
    expect(created.ok).toBe(true);
    const initialize = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    });
    const post = () => workerFetch(`${ORIGIN}/mcp`, { method: "POST", headers: mcpHeaders(token), body: initialize });
    const before = await post();
    expect(before.status).toBe(401);
    expect(await before.json()).toMatchObject({ error: { message: expect.stringMatching(/opened in the IDE/) } });
    expect((await call(`/api/projects/${id}`, { token })).status).toBe(200);
    expect((await post()).status).toBe(200);
  });

  it("a malformed call is a protocol-level refusal made into an error result, not a crash", async () => {
    const client = await connect(await mintKey());
    const result = await client.callTool({ name: "write_code", arguments: { project: "p", files: "not files" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Input validation error/);
    await client.close();
  });
});
