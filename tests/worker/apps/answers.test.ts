/**
 * How the app's answers leave the supervisor: a body the app gave whole (a string, bytes,
 * Response.json) is read in one go and answered with its length (a Content-Length over HTTP, which
 * tests/process/app-origin.test.ts sees); a streamed one is piped through as it comes; the mark that tells them apart is the wrapper's alone (an app that sets it on a stream
 * still has its stream piped, and never sees the mark reach the client; nor does the secret ever sit
 * on a response the app can still read). Both are recorded.
 */
import { describe, expect, it } from "vitest";
import { api, app, appWith, createProject, deploy, on } from "../support/helpers";

const answers = appWith(
  `    const url = new URL(request.url);
    if (url.pathname === "/text") return new Response("whole text", { headers: { "x-kind": "text" } });
    // The app keeps its answer and looks at its headers afterwards: the wrapper's marks are not on it.
    if (url.pathname === "/keep") return ((globalThis as any).kept = new Response("kept"));
    if (url.pathname === "/peek") return Response.json([...(globalThis as any).kept.headers]);
    if (url.pathname === "/bytes") return new Response(new Uint8Array([104, 105]));
    if (url.pathname === "/json") { console.log("json asked"); return Response.json({ ok: true }, { status: 201 }); }
    const parts = ["one ", "two ", "three"];
    const stream = new ReadableStream({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 5));
        const part = parts.shift();
        if (part === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(part));
      },
    });
    // The app sets the wrapper's mark itself, with a value of its own: it must not count.
    return new Response(stream, { headers: { "x-facet-ide-whole-body": "forged" } });`,
);

describe("the app's answers", () => {
  it("are read whole when the app gave them whole, streamed otherwise, and recorded either way", async () => {
    const project = await createProject();
    await deploy(project, answers);

    const text = await app(project, "/text");
    expect(text.headers.get("x-kind")).toBe("text");
    expect(await text.text()).toBe("whole text");
    const bytes = await app(project, "/bytes");
    expect(await bytes.text()).toBe("hi");
    const json = await app(project, "/json");
    expect(json.status).toBe(201);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(await json.json()).toEqual({ ok: true });

    expect(await (await app(project, "/keep")).text()).toBe("kept");
    expect(await (await app(project, "/peek")).json()).toEqual([["content-type", "text/plain;charset=UTF-8"]]);

    const streamed = await app(project, "/stream");
    expect(streamed.headers.has("x-facet-ide-whole-body")).toBe(false);
    expect(await streamed.text()).toBe("one two three");
    for (const answer of [text, bytes, json]) expect(answer.headers.has("x-facet-ide-whole-body")).toBe(false);

    let listed: Awaited<ReturnType<typeof api.call<"listRequests">>>["requests"] = [];
    for (let i = 0; i < 100 && listed.length < 6; i++) {
      listed = (await api.call("listRequests", { ...on(project), query: {} })).requests;
      await new Promise((r) => setTimeout(r, 20));
    }
    const bodies: Record<string, string> = {};
    for (const summary of listed) {
      const record = await api.call("getRequest", {
        params: { id: project.id, rid: summary.id },
        credential: project.token,
      });
      bodies[summary.path] = record.response.body;
      if (summary.path === "/json")
        expect(record.logs.some((l) => l.kind === "console" && l.message === "json asked")).toBe(true);
    }
    expect(bodies).toMatchObject({
      "/text": "whole text",
      "/bytes": "hi",
      "/json": '{"ok":true}',
      "/stream": "one two three",
    });
  });
});
