import { describe, expect, it } from "vitest";
import { BodyTap, joined } from "../../../../../server/supervisor/app-host/body-tap";
import { MESSAGE_BYTES, SocketTranscript } from "../../../../../server/supervisor/requests/socket-transcript";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("the body tap", () => {
  it("keeps a body that ended within the bound as it came, the one chunk itself", () => {
    const tap = new BodyTap(8);
    const chunk = bytes("hello");
    tap.keep(chunk);
    tap.end(true);
    const start = tap.start();
    expect(start).toEqual({ bytes: chunk, cut: false });
    expect(start.bytes).toBe(chunk);
  });

  it("keeps the first bytes of a longer body, stops keeping past the bound, and says it was cut", () => {
    const tap = new BodyTap(8);
    for (const part of ["abcd", "efgh", "ijkl", "mnop"]) tap.keep(bytes(part));
    tap.end(true);
    expect(text(tap.start().bytes)).toBe("abcdefgh");
    expect(tap.start().cut).toBe(true);
  });

  it("says a body still streaming, or one that failed, was cut", () => {
    const streaming = new BodyTap(8);
    streaming.keep(bytes("ab"));
    expect(streaming.start()).toMatchObject({ cut: true });
    expect(text(streaming.start().bytes)).toBe("ab");
    const failed = new BodyTap(8);
    failed.keep(bytes("ab"));
    failed.end(false);
    expect(failed.start()).toMatchObject({ cut: true });
  });

  it("joins chunks up to a length", () => {
    expect(text(joined([bytes("ab"), bytes("cd"), bytes("ef")], 5))).toBe("abcde");
    expect(joined([], 0).byteLength).toBe(0);
  });
});

describe("a socket transcript", () => {
  it("keeps each side's count, first and last message, cut and redacted", () => {
    const transcript = new SocketTranscript();
    transcript.client.seen("hello");
    transcript.client.seen("middle");
    transcript.client.seen(`token tok-1 ${"x".repeat(MESSAGE_BYTES)}`);
    transcript.app.seen(new Uint8Array([1, 2, 3]).buffer);
    const shown = transcript.shown((b) => bytes(text(b).replaceAll("tok-1", "[redacted]")));
    expect(shown.client.count).toBe(3);
    expect(shown.client.first).toEqual({ body: "hello", encoding: "text", size: 5, truncated: false });
    expect(shown.client.last?.body.startsWith("token [redacted] x")).toBe(true);
    expect(shown.client.last).toMatchObject({ size: MESSAGE_BYTES + 12, truncated: true });
    expect(shown.app).toEqual({
      count: 1,
      first: { body: "AQID", encoding: "base64", size: 3, truncated: false },
      last: null,
    });
  });
});
