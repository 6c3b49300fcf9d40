import { describe, expect, it } from "vitest";
import { parseAssistantMessage } from "../../../client/assistant/events";
import { MAX_MESSAGE_CHARS, readEventStream, type StreamItem } from "../../../client/assistant/sse";
import type { AssistantEvent } from "../../../shared/assistant";

/** A response body that delivers `chunks` one after another, as a network would. */
function bodyOf(chunks: string[]): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(chunks: string[]): Promise<StreamItem<AssistantEvent>[]> {
  const items: StreamItem<AssistantEvent>[] = [];
  for await (const item of readEventStream(bodyOf(chunks), parseAssistantMessage)) items.push(item);
  return items;
}

const start = { taskId: "abcd1234", continued: false, stepLimit: 20, tokenBudget: 1000 };

describe("the assistant's event stream", () => {
  it("reads events split anywhere across chunks, each parsed with its schema", async () => {
    const text = `event: start\ndata: ${JSON.stringify(start)}\n\nevent: text\ndata: {"delta":"Hel"}\n\nevent: text\ndata: {"delta":"lo"}\n\n`;
    const items = await read([text.slice(0, 7), text.slice(7, 40), text.slice(40, 41), text.slice(41)]);
    expect(items).toEqual([
      { kind: "event", event: { event: "start", data: start } },
      { kind: "event", event: { event: "text", data: { delta: "Hel" } } },
      { kind: "event", event: { event: "text", data: { delta: "lo" } } },
    ]);
  });

  it("turns an unknown event, data that is not JSON and data its schema rejects into malformed items, and goes on", async () => {
    const items = await read([
      'event: surprise\ndata: {"x":1}\n\n',
      "event: text\ndata: {not json\n\n",
      'event: step\ndata: {"n":"one","kind":"tool"}\n\n',
      'data: {"delta":"no name"}\n\n',
      'event: text\ndata: {"delta":"still here"}\n\n',
    ]);
    expect(items.map((i) => i.kind)).toEqual(["malformed", "malformed", "malformed", "malformed", "event"]);
    expect(items[0]).toMatchObject({ message: expect.stringContaining('"surprise"') });
    expect(items[1]).toMatchObject({ message: expect.stringContaining("not JSON") });
    expect(items[2]).toMatchObject({ message: expect.stringContaining("at n") });
    expect(items[4]).toEqual({ kind: "event", event: { event: "text", data: { delta: "still here" } } });
  });

  it("keeps escape sequences and HTML in the data as the text they are", async () => {
    const delta = "\u001b[31m<img src=x onerror=alert(1)>\u001b[0m";
    const [item] = await read([`event: text\ndata: ${JSON.stringify({ delta })}\n\n`]);
    expect(item).toEqual({ kind: "event", event: { event: "text", data: { delta } } });
  });

  it("quotes at most an excerpt of a huge bad message", async () => {
    const [item] = await read([`event: text\ndata: ${"x".repeat(100_000)}\n\n`]);
    expect(item?.kind).toBe("malformed");
    expect(item?.kind === "malformed" && item.message.length).toBeLessThan(300);
  });

  it("errors the stream on one endless message instead of keeping it all", async () => {
    const huge = `event: text\ndata: ${"x".repeat(MAX_MESSAGE_CHARS + 10)}`;
    await expect(read([huge.slice(0, MAX_MESSAGE_CHARS / 2), huge.slice(MAX_MESSAGE_CHARS / 2)])).rejects.toThrow(
      /buffer/i,
    );
  });
});
