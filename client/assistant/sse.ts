/**
 * Reads a Server-Sent Events answer (a POST's body, which `EventSource` cannot send) into messages,
 * with eventsource-parser doing the framing. Each message is handed to `parse`, so a message that is
 * not what the contract says becomes an item the panel shows as an error line instead of a throw.
 */
import { type EventSourceMessage, EventSourceParserStream } from "eventsource-parser/stream";

/** One item of the stream: an event the contract knows, or a message it rejected (and why). */
export type StreamItem<T> = { kind: "event"; event: T } | { kind: "malformed"; message: string };

/**
 * The longest message kept while it is being received: a server that streams one endless event
 * errors the stream here instead of filling the tab's memory.
 */
export const MAX_MESSAGE_CHARS = 4 * 1024 * 1024;

/** The messages of `body` as they arrive, each parsed; ends when the body does. */
export async function* readEventStream<T>(
  body: ReadableStream<Uint8Array<ArrayBuffer>>,
  parse: (message: EventSourceMessage) => StreamItem<T>,
): AsyncGenerator<StreamItem<T>> {
  const reader = body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream({ maxBufferSize: MAX_MESSAGE_CHARS }))
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield parse(value);
    }
  } finally {
    // Stopping early (the person's Stop, or the panel closing) cancels the body, which ends the request.
    await reader.cancel().catch(() => {});
  }
}
