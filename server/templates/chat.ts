/** Chat: hibernatable WebSockets, with the history in SQLite. */
export const chatTemplate: Record<string, string> = {
  "app.ts": `import { DurableObject } from "cloudflare:workers";
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
    console.log(\`\${name}: \${text}\`);
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
`,
  "page.ts": `export const page = \`<!doctype html>
<html><head><meta charset="utf-8"><title>Chat</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  #log { border: 1px solid #d0d7de; border-radius: 6px; height: 50vh; overflow: auto; padding: .5rem; }
  form { display: flex; gap: .5rem; margin-top: .5rem; } input { padding: .5rem; font: inherit; }
  #text { flex: 1; } b { color: #0969da; } #status { color: #777; font-size: .9em; }
</style></head>
<body>
  <h1>Chat <span id="status">connecting…</span></h1>
  <div id="log"></div>
  <form id="form"><input id="name" placeholder="Name" size="10"><input id="text" placeholder="Message"><button>Send</button></form>
<script>
  const log = document.getElementById("log");
  const status = document.getElementById("status");
  const nameInput = document.getElementById("name");
  // Browsers deny storage to a cross-site frame in some modes (incognito, third-party cookies off),
  // and the IDE's preview is one: remembering the name is a nicety, so it must not stop the page.
  const remembered = { get() { try { return localStorage.getItem("name"); } catch { return null; } },
    set(v) { try { localStorage.setItem("name", v); } catch {} } };
  nameInput.value = remembered.get() || "";
  let socket;
  function show(m) {
    const line = document.createElement("div");
    const who = document.createElement("b");
    who.textContent = m.name + ": ";
    line.append(who, m.text);
    log.append(line);
    log.scrollTop = log.scrollHeight;
  }
  function connect() {
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    socket.onopen = () => { status.textContent = "online"; };
    socket.onmessage = (e) => {
      const data = JSON.parse(e.data);
      if (data.type === "history") { log.textContent = ""; data.messages.forEach(show); }
      if (data.type === "message") show(data.message);
    };
    socket.onclose = () => { status.textContent = "reconnecting…"; setTimeout(connect, 1000); };
  }
  document.getElementById("form").onsubmit = (e) => {
    e.preventDefault();
    const text = document.getElementById("text");
    remembered.set(nameInput.value);
    socket.send(JSON.stringify({ name: nameInput.value, text: text.value }));
    text.value = "";
  };
  connect();
</script>
</body></html>\`;
`,
};
