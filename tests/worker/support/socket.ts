/**
 * A terminal WebSocket opened the way the browser opens it, with the token in a subprotocol. Every
 * message it receives is checked against `ServerMessage` (shared/protocol.ts).
 */
import { expect } from "vitest";
import type { LogEntry } from "../../../shared/logs";
import { ServerMessage } from "../../../shared/protocol";
import { describes } from "./contract";
import { api } from "./helpers";

export interface TestSocket {
  socket: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the first message (already received or future) that matches. */
  next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  nextWhere(match: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  send(message: unknown): void;
}

export async function openTerminal(project: { id: string; token: string }): Promise<TestSocket> {
  const response = await api.send("terminal", {
    params: { id: project.id },
    headers: { upgrade: "websocket", "sec-websocket-protocol": `facet-ide, token.${project.token}` },
  });
  const socket = response.webSocket;
  if (!socket) throw new Error(`no WebSocket: ${response.status} ${await response.text()}`);
  socket.accept();
  const messages: ServerMessage[] = [];
  const waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    expect(describes(ServerMessage, message, "a terminal message"), "ServerMessage describes it").toBeNull();
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const nextWhere = (match: (m: ServerMessage) => boolean, timeoutMs = 10_000) => {
    const seen = messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for a message")), timeoutMs);
      waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  };
  return {
    socket,
    messages,
    nextWhere,
    next: <T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs?: number) =>
      nextWhere(match, timeoutMs) as Promise<T>,
    send: (message) => socket.send(typeof message === "string" ? message : JSON.stringify(message)),
  };
}

/** Every log line the terminal has received so far (history and live). */
export function linesOf(terminal: TestSocket): LogEntry[] {
  return terminal.messages.flatMap((m: ServerMessage) =>
    m.type === "hello" ? m.history : m.type === "logs" ? m.entries : [],
  );
}

/** The first log line (received so far or within `timeoutMs`) that matches. */
export async function waitForLine(
  terminal: TestSocket,
  match: (e: LogEntry) => boolean,
  timeoutMs = 2_000,
): Promise<LogEntry> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const found = linesOf(terminal).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no such line; got ${JSON.stringify(linesOf(terminal)).slice(0, 1500)}`);
}
