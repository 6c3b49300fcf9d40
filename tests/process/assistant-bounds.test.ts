/**
 * The assistant's bounds against the real server (`npm start`, assistant-support.ts): the step limit,
 * Stop, the provider's 401, 429 then 200 and a hang, bad tasks and prompts, and a configuration that
 * names the model, never the key.
 */
import { describe, expect, it } from "vitest";
import {
  ask,
  assistantServerForFile,
  done,
  failed,
  notesProject,
  parseEvents,
  STEP_LIMIT,
  TIMEOUT_MS,
  task,
  taskIdOf,
} from "./assistant-support";
import { api, clientOf } from "./ide-server";

const env = assistantServerForFile();

describe("the assistant is bounded", () => {
  it("stops at the step limit with done", async () => {
    const project = await notesProject();
    env.model.setTurns([{ toolCalls: [{ name: "list_versions", arguments: {} }], repeat: true }]);
    const end = done(await ask(project, { prompt: "Loop forever" }));
    expect(end.reason).toBe("step_limit");
    expect(end.steps).toBe(STEP_LIMIT);
    expect(end.summary).toMatch(/step limit/);
    expect(env.model.requests).toHaveLength(STEP_LIMIT);
  });

  it("Stop ends a running task with done (stopped)", async () => {
    const project = await notesProject();
    env.model.setTurns([
      { toolCalls: [{ name: "list_versions", arguments: {} }] },
      { waitMs: TIMEOUT_MS - 1_000, text: "late" },
    ]);
    const path = clientOf(env.server).path("askAssistant", { params: { id: project.id } });
    const response = await api(env.server, path, {
      method: "POST",
      token: project.token,
      json: { prompt: "Take your time" },
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    let stopped = false;
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
      const events = parseEvents(text);
      if (!stopped && events.some((e) => e.event === "tool")) {
        stopped = true;
        const taskId = taskIdOf(events);
        const answer = await clientOf(env.server).call("stopAssistantTask", {
          params: { id: project.id, taskId },
          credential: project.token,
        });
        expect(answer.stopped).toBe(true);
      }
    }
    const events = parseEvents(text);
    const end = done(events);
    expect(end.reason).toBe("stopped");
    expect(events.some((e) => e.event === "text" && JSON.stringify(e.data).includes("late"))).toBe(false);
    expect((await task(project, end.taskId)).status).toBe("stopped");
    const again = await clientOf(env.server).call("stopAssistantTask", {
      params: { id: project.id, taskId: end.taskId },
      credential: project.token,
    });
    expect(again.stopped).toBe(false);
  });

  it("a 401 from the provider ends the task with model_unauthorized", async () => {
    const project = await notesProject();
    env.model.setTurns([{ status: 401, body: { error: { message: "Incorrect API key" } } }]);
    const events = await ask(project, { prompt: "Hello" });
    expect(failed(events).code).toBe("model_unauthorized");
    expect(env.model.requests).toHaveLength(1);
    const taskId = taskIdOf(events);
    const record = await task(project, taskId);
    expect(record.status).toBe("failed");
    expect(record.turns[0]?.error?.code).toBe("model_unauthorized");
  });

  it("a 429 is retried, and the 200 after it answers", async () => {
    const project = await notesProject();
    env.model.setTurns([{ status: 429, retryAfterMs: 20 }, { text: "Answered after a retry." }]);
    const end = done(await ask(project, { prompt: "Hello" }));
    expect(end.summary).toBe("Answered after a retry.");
    expect(env.model.requests).toHaveLength(2);
  });

  it("a provider that never answers times out with model_timeout", async () => {
    const project = await notesProject();
    env.model.setTurns([{ hang: true, repeat: true }]);
    expect(failed(await ask(project, { prompt: "Hello" })).code).toBe("model_timeout");
  });

  it("refuses a task that does not exist, and a bad prompt, before any stream", async () => {
    const project = await notesProject();
    const path = clientOf(env.server).path("askAssistant", { params: { id: project.id } });
    const missing = await api(env.server, path, {
      method: "POST",
      token: project.token,
      json: { prompt: "Hi", taskId: "abcdefgh12345678" },
    });
    expect(missing.status).toBe(404);
    const empty = await api(env.server, path, { method: "POST", token: project.token, json: { prompt: "  " } });
    expect(empty.status).toBe(400);
    const other = await notesProject();
    const foreign = await api(env.server, path, { method: "POST", token: other.token, json: { prompt: "Hi" } });
    expect(foreign.status).toBe(403);
  });

  it("the configuration names the model, never the key", async () => {
    const project = await notesProject();
    const overview = await clientOf(env.server).call("getAssistant", {
      params: { id: project.id },
      credential: project.token,
    });
    expect(overview.config).toMatchObject({
      configured: true,
      model: "scripted",
      provider: "openai-compatible",
      stepLimit: STEP_LIMIT,
    });
    expect(JSON.stringify(overview)).not.toContain("test-model-key");
  });
});
