/**
 * Which responses the app's runtime marks as given whole (server/app-runtime/whole-bodies.ts), imported
 * as the isolate evaluates it: it replaces the global Response with its Proxy, as it does there.
 */
import { describe, expect, it } from "vitest";
import { WHOLE_BODY_MAX_BYTES } from "../../../../server/app-runtime/protocol";
import { isWhole, wholeSize } from "../../../../server/app-runtime/whole-bodies";

describe("whole bodies", () => {
  it("measure strings, ArrayBuffers and views of them, and nothing else", () => {
    expect(wholeSize("héllo")).toBe(15);
    expect(wholeSize(null)).toBe(0);
    expect(wholeSize(new ArrayBuffer(10))).toBe(10);
    expect(wholeSize(new Uint8Array(new ArrayBuffer(16), 4, 8))).toBe(8);
    expect(wholeSize(new DataView(new ArrayBuffer(12), 2))).toBe(10);
    expect(wholeSize(new ReadableStream())).toBe(-1);
    expect(wholeSize(new Blob(["x"]))).toBe(-1);
    expect(wholeSize(new URLSearchParams("a=1"))).toBe(-1);
    // Objects that claim to be bytes are measured by what they are.
    expect(wholeSize({ byteLength: 3 })).toBe(-1);
    expect(wholeSize(Object.create(ArrayBuffer.prototype))).toBe(-1);
    expect(wholeSize(Object.create(Uint8Array.prototype))).toBe(-1);
    // Too long to read in one go.
    expect(wholeSize("x".repeat(WHOLE_BODY_MAX_BYTES))).toBe(-1);
    expect(wholeSize(new ArrayBuffer(WHOLE_BODY_MAX_BYTES + 1))).toBe(-1);
  });

  it("note responses made from a whole body, through the constructor, subclasses and Response.json", async () => {
    expect(isWhole(new Response("text"))).toBe(true);
    expect(isWhole(new Response(new Uint8Array([1, 2])))).toBe(true);
    expect(isWhole(new Response(null, { status: 204 }))).toBe(true);
    expect(isWhole(new Response(new ReadableStream()))).toBe(false);
    expect(isWhole(new Response("x".repeat(WHOLE_BODY_MAX_BYTES)))).toBe(false);

    class Page extends Response {}
    const page = new Page("<p>hi</p>");
    expect(page).toBeInstanceOf(Page);
    expect(page).toBeInstanceOf(Response);
    expect(isWhole(page)).toBe(true);
    expect(new Response("x").constructor).toBe(Response);
    expect(Response.name).toBe("Response");

    const json = Response.json({ a: 1 }, { status: 201 });
    expect(isWhole(json)).toBe(true);
    expect(json.status).toBe(201);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(await json.text()).toBe('{"a":1}');
    const typed = Response.json([1], { headers: { "content-type": "application/problem+json" } });
    expect(typed.headers.get("content-type")).toBe("application/problem+json");
    expect(isWhole(Response.json({ big: "x".repeat(WHOLE_BODY_MAX_BYTES) }))).toBe(false);
    // What json() refuses, it still refuses.
    expect(() => Response.json(10n)).toThrow(TypeError);
    // An app's own Response.json is the one it gets.
    const kept = Response.json;
    const own = () => new Response("own");
    Response.json = own;
    try {
      expect(Response.json).toBe(own);
    } finally {
      Response.json = kept;
    }
  });
});
