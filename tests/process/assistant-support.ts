/**
 * What the assistant's process tests share (assistant.test.ts, assistant-bounds.test.ts): `npm start`
 * with the assistant on a scripted OpenAI-compatible model (tests/fixtures/scripted-model.mjs) that
 * answers prepared tool calls and text and records what the assistant sent it, a small notes app, and
 * the stream's events read against the contract.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { ASSISTANT_EVENTS, AssistantTask, type DoneEvent, type ErrorEvent } from "../../shared/assistant";
import { type ScriptedModel, startScriptedModel } from "../fixtures/scripted-model.mjs";
import { api, appRequest, clientOf, createProject, deploy, type IdeServer, serverForFile } from "./ide-server";

export const STEP_LIMIT = 10;
export const TIMEOUT_MS = 3_000;

/** The server and the scripted model of the test file that called `assistantServerForFile`. */
export const env = {} as { model: ScriptedModel; server: IdeServer };

/** Starts `npm start` with the assistant on the scripted model for the calling test file, and stops both after it. */
export function assistantServerForFile(): typeof env {
  beforeAll(async () => {
    env.model = await startScriptedModel();
  });
  env.server = serverForFile(() => ({
    env: {
      FACET_IDE_MODEL_URL: env.model.url,
      FACET_IDE_MODEL: "scripted",
      FACET_IDE_MODEL_KEY: "test-model-key",
      FACET_IDE_ASSISTANT_STEPS: String(STEP_LIMIT),
      FACET_IDE_MODEL_TIMEOUT_MS: String(TIMEOUT_MS),
    },
  }));
  afterAll(async () => {
    await env.model?.close();
  });
  return env;
}

export const NOTES_APP = `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)");
    const url = new URL(request.url);
    if (request.method === "POST") {
      this.ctx.storage.sql.exec("INSERT INTO notes (text) VALUES (?)", await request.text());
      return new Response("added");
    }
    const { n } = this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM notes").one();
    return new Response(\`notes=\${n} \${url.pathname}\`);
  }
}
`;

export type Event = { event: string; data: unknown };

/** Parses a stream's text into its events, each checked against the contract. */
export function parseEvents(text: string): Event[] {
  return text
    .split("\n\n")
    .filter((block) => block.includes("event:"))
    .map((block) => {
      const name = /^event: (.+)$/m.exec(block)?.[1] ?? "";
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? "null");
      const schema = ASSISTANT_EVENTS[name as keyof typeof ASSISTANT_EVENTS];
      if (!schema) throw new Error(`unknown event ${name}`);
      return { event: name, data: schema.parse(data) };
    });
}

export async function ask(project: { id: string; token: string }, body: Record<string, unknown>): Promise<Event[]> {
  const path = clientOf(env.server).path("askAssistant", { params: { id: project.id } });
  const response = await api(env.server, path, { method: "POST", token: project.token, json: body });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return parseEvents(await response.text());
}

export const taskIdOf = (events: Event[]) => (events[0]?.data as { taskId?: string } | undefined)?.taskId ?? "";
export const last = (events: Event[]) => events.at(-1) as Event;
export const done = (events: Event[]) => {
  expect(last(events).event, JSON.stringify(last(events))).toBe("done");
  return last(events).data as DoneEvent;
};
export const failed = (events: Event[]) => {
  expect(last(events).event, JSON.stringify(last(events))).toBe("error");
  return last(events).data as ErrorEvent;
};
export const toolEvents = (events: Event[]) =>
  events
    .filter((e) => e.event === "tool")
    .map((e) => e.data as { name: string; ok: boolean; result: string; truncated: boolean; diff?: string });

/** The tool results the assistant sent the model in its latest request. */
export const toolMessages = () =>
  (env.model.requests.at(-1)?.body.messages ?? [])
    .filter((m) => m.role === "tool")
    .map((m) => JSON.stringify(m.content));

export async function notesProject() {
  const project = await createProject(env.server);
  await deploy(env.server, project, NOTES_APP);
  await appRequest(env.server, project.id, "/", { method: "POST", body: "first" });
  return project;
}

export const task = async (project: { id: string; token: string }, taskId: string) =>
  AssistantTask.parse(
    await clientOf(env.server).call("getAssistantTask", {
      params: { id: project.id, taskId },
      credential: project.token,
    }),
  );
