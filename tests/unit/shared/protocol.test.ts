import { describe, expect, it } from "vitest";
import { readServerMessage } from "../../../shared/protocol";

const line = (seq: number) => ({ kind: "console", level: "log", message: `line ${seq}`, at: 0, version: 1, seq });

describe("reading the server's messages", () => {
  it("drops a malformed log entry, not the history it came in", () => {
    const read = readServerMessage({
      type: "hello",
      projectId: "p",
      version: 1,
      history: [line(1), { kind: "exception", name: {}, message: 42, at: 0, version: 1, seq: 2 }, line(3)],
    });
    expect(read).toMatchObject({ ok: true, dropped: 1 });
    expect(read.ok && read.message.type === "hello" && read.message.history.map((e) => e.seq)).toEqual([1, 3]);
    const logs = readServerMessage({ type: "logs", entries: [line(4), "junk"] });
    expect(logs).toMatchObject({ ok: true, dropped: 1 });
  });

  it("still refuses a message that is not one", () => {
    expect(readServerMessage({ type: "hello", history: [] }).ok).toBe(false);
    expect(readServerMessage({ type: "nope" }).ok).toBe(false);
    expect(readServerMessage("text").ok).toBe(false);
  });
});
