import { DurableObject } from "cloudflare:workers";
import { page } from "./page";

type Message = { id: number; name: string; text: string; at: number };

/**
 * A chat room. Sockets use the hibernation API (ctx.acceptWebSocket), so idle rooms cost nothing;
 * messages are kept in this object's SQLite database and replayed to each new visitor.
 */
export class App extends DurableObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, name TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)",
    );
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/ws") {
      if (request.headers.get("upgrade") !== "websocket") return new Response("Expected a WebSocket", { status: 426 });
      const { 0: client, 1: server } = new WebSocketPair();
      this.ctx.acceptWebSocket(server);
      server.send(JSON.stringify({ type: "history", messages: this.recent() }));
      console.log("someone joined;", this.ctx.getWebSockets().length, "online");
      return new Response(null, { status: 101, webSocket: client });
    }
    if (url.pathname === "/") return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
    return new Response("Not found", { status: 404 });
  }

  async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer) {
    let data: { name?: unknown; text?: unknown };
    try {
      data = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw));
    } catch {
      return ws.send(JSON.stringify({ type: "error", message: "send JSON" }));
    }
    const name = String(data.name ?? "anonymous").slice(0, 40) || "anonymous";
    const text = String(data.text ?? "").slice(0, 1000);
    if (!text) return;
    const message = this.ctx.storage.sql
      .exec<Message>("INSERT INTO messages (name, text, at) VALUES (?, ?, ?) RETURNING *", name, text, Date.now())
      .one();
    console.log(`${name}: ${text}`);
    const payload = JSON.stringify({ type: "message", message });
    for (const socket of this.ctx.getWebSockets()) socket.send(payload);
  }

  async webSocketClose(ws: WebSocket, code: number) {
    console.log("someone left;", this.ctx.getWebSockets().length - 1, "online");
    // 1005 and 1006 are reported, never sent: answer those with a normal close.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
    } catch {
      // Already closed: nothing to answer.
    }
  }

  recent(): Message[] {
    return this.ctx.storage.sql.exec<Message>("SELECT * FROM messages ORDER BY id DESC LIMIT 50").toArray().reverse();
  }
}
