import { DurableObject } from "cloudflare:workers";

type Reminder = { id: number; text: string; due_at: number; fired_at: number | null };

/**
 * Reminders that fire on time. The Durable Object's single alarm is always set to the next one due;
 * alarm() marks what is due as fired and sets the alarm for the next.
 */
export class App extends DurableObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS reminders (id INTEGER PRIMARY KEY, text TEXT NOT NULL, due_at INTEGER NOT NULL, fired_at INTEGER)",
    );
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/reminders") {
      const form = await request.formData();
      const text = String(form.get("text") ?? "").trim() || "Something";
      const seconds = Math.max(1, Math.min(86_400, Number(form.get("seconds") ?? 10) || 10));
      this.ctx.storage.sql.exec("INSERT INTO reminders (text, due_at) VALUES (?, ?)", text, Date.now() + seconds * 1000);
      await this.scheduleNext();
      console.log(`reminder "${text}" in ${seconds} s`);
      return Response.redirect(new URL("/", url).toString(), 303);
    }
    if (url.pathname === "/api/reminders") return Response.json(this.list());
    if (url.pathname !== "/") return new Response("Not found", { status: 404 });
    return new Response(page(this.list(), await this.ctx.storage.getAlarm()), {
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  }

  async alarm(info?: AlarmInvocationInfo) {
    const due = this.ctx.storage.sql
      .exec<Reminder>("UPDATE reminders SET fired_at = ? WHERE fired_at IS NULL AND due_at <= ? RETURNING *", Date.now(), Date.now())
      .toArray();
    for (const r of due) console.log(`⏰ ${r.text}`, info?.isRetry ? `(retry ${info.retryCount})` : "");
    await this.scheduleNext();
  }

  async scheduleNext() {
    const next = this.ctx.storage.sql
      .exec<{ due: number | null }>("SELECT min(due_at) AS due FROM reminders WHERE fired_at IS NULL")
      .one().due;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  list(): Reminder[] {
    return this.ctx.storage.sql.exec<Reminder>("SELECT * FROM reminders ORDER BY due_at DESC LIMIT 50").toArray();
  }
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function page(reminders: Reminder[], alarm: number | null): string {
  const rows = reminders
    .map((r) => `<li class="${r.fired_at ? "fired" : "pending"}">${r.fired_at ? "⏰ fired" : "⏳ due"} · ${escape(r.text)} <small>${new Date(r.due_at).toLocaleTimeString()}</small></li>`)
    .join("");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Reminders</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  form { display: flex; gap: .5rem; } input { padding: .5rem; font: inherit; } input[name=text] { flex: 1; }
  .fired { color: #1a7f37; } .pending { color: #9a6700; } small { color: #777; }
</style></head>
<body>
  <h1>Reminders</h1>
  <form method="post" action="/reminders">
    <input name="text" placeholder="Remind me to…">
    <input name="seconds" type="number" value="5" min="1" style="width:5rem"> s
    <button>Add</button>
  </form>
  <p id="next"><small>Next alarm: ${alarm ? new Date(alarm).toLocaleTimeString() : "none"}</small></p>
  <ul id="list">${rows || "<li><em>No reminders yet.</em></li>"}</ul>
  <script>
    // While a reminder is pending, refresh the list in place every second (not location.reload(),
    // which would wipe what you are typing); once none is pending, stop asking.
    async function refresh() {
      if (!document.querySelector(".pending")) return;
      const html = await fetch("/").then((r) => r.text(), () => null);
      if (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        for (const id of ["next", "list"]) document.getElementById(id).innerHTML = fresh.getElementById(id).innerHTML;
      }
      setTimeout(refresh, 1000);
    }
    setTimeout(refresh, 1000);
  </script>
</body></html>`;
}
