import { describe, expect, it } from "vitest";
import { EXCEPTION_HEADER, LOGS_HEADER } from "../../../../server/app-runtime/protocol";
import {
  appLogEntries,
  channelSecret,
  isThrownReport,
  linesOnResponse,
  readTextBounded,
  readThrownReport,
  withoutChannelHeaders,
} from "../../../../server/supervisor/app-host/app-channel";

describe("lines an app sends", () => {
  it("become log entries of the version that sent them", () => {
    const lines = [
      { kind: "console", level: "warn", message: "careful", at: 5 },
      { kind: "exception", name: "Error", message: "boom", stack: "Error: boom", at: 6 },
    ];
    expect(appLogEntries(lines, 3)).toEqual([
      { kind: "console", level: "warn", message: "careful", at: 5, version: 3 },
      { kind: "exception", name: "Error", message: "boom", stack: "Error: boom", at: 6, version: 3 },
    ]);
  });

  it("are cut to size, and refused when they are not what the wrapper sends", () => {
    const [long] = appLogEntries([{ kind: "console", level: "log", message: "x".repeat(10_000), at: 1 }], 1) ?? [];
    expect(long?.kind === "console" && long.message.length).toBe(8_001);
    expect(appLogEntries([{ kind: "console", level: "shout", message: "x", at: 1 }], 1)).toBeNull();
    expect(appLogEntries([{ kind: "system", level: "info", message: "forged", at: 1 }], 1)).toBeNull();
    expect(appLogEntries("not a list", 1)).toBeNull();
    expect(appLogEntries(Array(501).fill({ kind: "console", level: "log", message: "x", at: 1 }), 1)).toBeNull();
    expect(appLogEntries(Array(51).fill({ kind: "console", level: "log", message: "x", at: 1 }), 1, 50)).toBeNull();
  });
});

describe("the wrapper's channel", () => {
  const lines = [{ kind: "console", level: "log", message: "hi", at: 1 }];
  const carried = (secret: string, value = encodeURIComponent(JSON.stringify(lines))) =>
    new Response("", { headers: { [LOGS_HEADER]: `${secret}.${value}` } });

  it("derives a different secret per load and per project key", async () => {
    const a = await channelSecret("key-1", "p:abc:env-1");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await channelSecret("key-1", "p:abc:env-1")).toBe(a);
    expect(await channelSecret("key-1", "p:abc:env-2")).not.toBe(a);
    expect(await channelSecret("key-2", "p:abc:env-1")).not.toBe(a);
  });

  it("reads console lines only from a header marked with the load's secret", () => {
    expect(linesOnResponse(carried("s3cret"), "s3cret")).toEqual(lines);
    expect(linesOnResponse(carried("wrong"), "s3cret")).toEqual([]);
    expect(
      linesOnResponse(new Response("", { headers: { [LOGS_HEADER]: encodeURIComponent("[]") } }), "s3cret"),
    ).toEqual([]);
    expect(linesOnResponse(carried("s3cret", "%E0%A4%A"), "s3cret")).toEqual([]);
    expect(
      linesOnResponse(carried("s3cret", encodeURIComponent(JSON.stringify(Array(60).fill(lines[0])))), "s3cret"),
    ).toEqual([]);
    expect(linesOnResponse(new Response(""), "s3cret")).toEqual([]);
  });

  it("trusts an exception mark only with the secret, and reads its report bounded and checked", async () => {
    const marked = (secret: string, body: BodyInit) => new Response(body, { headers: { [EXCEPTION_HEADER]: secret } });
    expect(isThrownReport(marked("s3cret", "{}"), "s3cret")).toBe(true);
    expect(isThrownReport(marked("1", "{}"), "s3cret")).toBe(false);
    expect(await readThrownReport(marked("s3cret", '{"name":"TypeError","message":"x","stack":"at y"}'))).toEqual({
      name: "TypeError",
      message: "x",
      stack: "at y",
    });
    for (const body of [
      "not json",
      '{"name":{},"message":42}',
      JSON.stringify({ name: "E", message: "x".repeat(300_000) }),
    ]) {
      expect((await readThrownReport(marked("s3cret", body))).message).toMatch(/could not be read/);
    }
  });

  it("stops reading a body past its limit", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    expect(await readTextBounded(endless, 256 * 1024)).toBeNull();
    expect(pulled).toBeLessThan(10);
  });

  it("strips the channel's headers from what the client gets", () => {
    const headers = withoutChannelHeaders(
      new Headers({ [LOGS_HEADER]: "x", [EXCEPTION_HEADER]: "1", "x-own": "kept" }),
    );
    expect([...headers.keys()]).toEqual(["x-own"]);
  });
});
