import { DurableObject } from "cloudflare:workers";

/**
 * A guest book. Everything lives in this Durable Object's own SQLite database,
 * which keeps its data every time you save new code.
 */
export class App extends DurableObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, created_at TEXT DEFAULT CURRENT_TIMESTAMP)",
    );
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/notes") {
      const form = await request.formData();
      const text = String(form.get("text") ?? "").trim();
      if (text) {
        this.ctx.storage.sql.exec("INSERT INTO notes (text) VALUES (?)", text);
        console.log("new note:", text);
      }
      return Response.redirect(new URL("/", url).toString(), 303);
    }
    if (url.pathname === "/api/notes") {
      return Response.json(this.notes());
    }
    if (url.pathname !== "/") {
      return new Response("Not found", { status: 404 });
    }
    const notes = this.notes();
    console.log(`rendering ${notes.length} notes`);
    return new Response(page(notes), { headers: { "content-type": "text/html; charset=utf-8" } });
  }

  notes(): { id: number; text: string; created_at: string }[] {
    return this.ctx.storage.sql
      .exec<{ id: number; text: string; created_at: string }>("SELECT id, text, created_at FROM notes ORDER BY id DESC")
      .toArray();
  }
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function page(notes: { text: string; created_at: string }[]): string {
  const items = notes.map((n) => `<li>${escape(n.text)} <small>${n.created_at}</small></li>`).join("");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Guest book</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  form { display: flex; gap: .5rem; } input { flex: 1; padding: .5rem; font: inherit; }
  button { padding: .5rem 1rem; font: inherit; } li { padding: .25rem 0; } small { color: #777; }
</style></head>
<body>
  <h1>Guest book</h1>
  <form method="post" action="/notes"><input name="text" placeholder="Say hello"><button>Sign</button></form>
  <ul>${items || "<li><em>No notes yet.</em></li>"}</ul>
</body></html>`;
}
