/**
 * A recorded WebSocket session (recorder.ts): the app's socket is relayed to the client through a
 * pair of the supervisor's own, so the first and last message each side sent can be kept with the
 * upgrade's entry. The first message of a side is cut to MESSAGE_BYTES at once, the last only
 * referenced until the next replaces it; both are redacted when the row is made. A close on either side closes the other with the same code and
 * reason (a swap's 1012 reaches the client as before).
 */
import type { RecordedMessages, RecordedSide } from "../../../shared/requests";
import { base64 } from "../app-host/app-requests";

/** Bytes kept of each recorded message. */
export const MESSAGE_BYTES = 4096;

type Message = string | ArrayBuffer;

/** A message cut to MESSAGE_BYTES, with its whole size. */
interface Kept {
  bytes: Uint8Array;
  size: number;
  text: boolean;
}

class Side {
  count = 0;
  /** Cut at once: a session may hold its first message for hours. */
  first: Kept | null = null;
  /** Only the reference, replaced by the next message (cut when the row is made). */
  last: Message | null = null;

  seen(data: Message): void {
    if (this.count === 0) this.first = cut(data);
    else this.last = data;
    this.count++;
  }
}

export class SocketTranscript {
  readonly client = new Side();
  readonly app = new Side();
  /** Called once the session has ended. */
  onEnd: (() => void) | null = null;
  #ended = false;

  /** The socket to give the client in place of `appSide`. */
  relay(appSide: WebSocket): WebSocket {
    const [clientSide, ours] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    appSide.accept();
    ours.accept();
    const pass = (from: WebSocket, to: WebSocket, side: Side) => {
      from.addEventListener("message", (event) => {
        const data = event.data;
        side.seen(data);
        try {
          to.send(data);
        } catch {
          // The other side closed meanwhile; its close event ends the session.
        }
      });
      from.addEventListener("close", (event) => {
        closeWith(to, event.code, event.reason);
        this.#end();
      });
      from.addEventListener("error", () => {
        closeWith(to, 1011, "the other side of the socket failed");
        this.#end();
      });
    };
    pass(appSide, ours, this.app);
    pass(ours, appSide, this.client);
    return clientSide;
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.onEnd?.();
  }

  /** The messages as stored, each passed through `redact`. */
  shown(redact: (bytes: Uint8Array) => Uint8Array): RecordedMessages {
    const side = ({ count, first, last }: Side): RecordedSide => ({
      count,
      first: first === null ? null : shown(first, redact),
      last: last === null ? null : shown(cut(last), redact),
    });
    return { client: side(this.client), app: side(this.app) };
  }
}

function cut(data: Message): Kept {
  if (typeof data === "string") {
    const whole = new TextEncoder().encode(data);
    return { bytes: whole.slice(0, MESSAGE_BYTES), size: whole.byteLength, text: true };
  }
  return { bytes: new Uint8Array(data.slice(0, MESSAGE_BYTES)), size: data.byteLength, text: false };
}

function shown({ bytes, size, text }: Kept, redact: (bytes: Uint8Array) => Uint8Array) {
  const clean = redact(bytes);
  return {
    body: text ? new TextDecoder().decode(clean) : base64(clean),
    encoding: text ? ("text" as const) : ("base64" as const),
    size,
    truncated: size > MESSAGE_BYTES,
  };
}

/** Closes `socket` with `code` and `reason` where a close frame may carry them. */
function closeWith(socket: WebSocket, code: number, reason: string): void {
  try {
    // 1005 and 1006 say no code came (or the connection dropped): they may not be sent.
    if (code === 1005 || code === 1006 || code === 1015) socket.close();
    else socket.close(code, reason);
  } catch {
    // Already closed.
  }
}
