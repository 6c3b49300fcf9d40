import { describe, expect, it } from "vitest";
import type { SqlResult } from "../../../shared/sql";
import { api, app, createProject, on } from "../support/helpers";

describe("templates", () => {
  it("lists the templates the start page offers", async () => {
    const response = await api.send("listTemplates");
    const { templates } = (await response.json()) as { templates: { name: string }[] };
    expect(templates.map((t) => t.name)).toEqual(["notes", "chat", "reminders", "blank"]);
  });

  it("chat: messages go to every socket and are replayed to new ones", async () => {
    const project = await createProject("chat");
    expect(await (await app(project, "/")).text()).toContain("<title>Chat</title>");
    const connect = async () => {
      const response = await app(project, "/ws", { headers: { upgrade: "websocket" } });
      const socket = response.webSocket!;
      socket.accept();
      const received: { type: string; messages?: unknown[]; message?: { text: string } }[] = [];
      socket.addEventListener("message", (e) => received.push(JSON.parse(String(e.data))));
      return { socket, received };
    };
    const alice = await connect();
    const bob = await connect();
    alice.socket.send(JSON.stringify({ name: "alice", text: "hi bob" }));
    for (let i = 0; i < 100 && !bob.received.some((m) => m.type === "message"); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(bob.received.find((m) => m.type === "message")?.message?.text).toBe("hi bob");
    const carol = await connect();
    for (let i = 0; i < 100 && carol.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(carol.received[0]).toMatchObject({ type: "history", messages: [{ name: "alice", text: "hi bob" }] });
  });

  it("reminders: a reminder fires through the alarm", async () => {
    const project = await createProject("reminders");
    const added = await app(project, "/reminders", {
      method: "POST",
      body: new URLSearchParams({ text: "stretch", seconds: "1" }),
      redirect: "manual",
    });
    expect(added.status).toBe(303);
    let fired: unknown[][] = [];
    for (let i = 0; i < 100 && fired.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const response = await api.send("runSql", {
        ...on(project),
        body: { sql: "SELECT text FROM reminders WHERE fired_at IS NOT NULL" },
      });
      fired = ((await response.json()) as SqlResult).rows;
    }
    expect(fired).toEqual([["stretch"]]);
    expect(await (await app(project, "/")).text()).toContain("⏰ fired");
  });
});
