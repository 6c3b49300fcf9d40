/**
 * `POST /api/projects/:id/assistant`: a prompt answered as a stream of Server-Sent Events (the
 * events are shared/assistant.ts'). The turn runs in the worker beside the stream it feeds, so
 * nothing buffers it, and records its steps through the project's handle as they happen; its tools
 * run the HTTP API's operations with the caller's own credential (as the MCP server's do), scoped to
 * this project and to the draft. Stop reaches it through the task's flag (or at once when it runs in
 * this isolate: running.ts); a client that goes away stops it too.
 * Tables: none (task-table.ts keeps the tasks).
 */
import type { AssistantEvent, AssistantRequest, TaskStep } from "../../shared/assistant";
import { routes } from "../../shared/http/routes";
import { authorize } from "../api/credentials";
import type { OperationArgs, OperationContext, OperationName } from "../api/operation-types";
import { openProject, run } from "../api/operations";
import { keyMinted } from "../keys/registry-stub";
import type { Invoke } from "../mcp/tools";
import { failure, type Outcome } from "../outcome";
import type { ProjectHandle } from "../supervisor/handle/project-handle";
import { assistantSettings, HOW_TO_CONNECT, type ModelSettings } from "./config";
import { cutText, RECORD_TEXT_BYTES, recordable } from "./cut";
import { draftEffect } from "./draft-effect";
import { instructions } from "./instructions";
import { keptHistory, parseHistory, runTurn, type TurnResult } from "./loop";
import { languageModel } from "./provider";
import { finishRunning, startRunning } from "./running";
import { scopedTools } from "./scoped-tools";
import type { BegunTurn } from "./task-table";

/** How often a running turn beats and looks for a Stop set in another isolate; and keeps the stream alive. */
const POLL_MS = 1_000;
const KEEPALIVE_MS = 15_000;

export interface AskInput {
  project: string;
  body: AssistantRequest;
  bearer: string | null;
  context: OperationContext;
  waitUntil(promise: Promise<unknown>): void;
}

/** The stream's answer, or a failure before any stream (no model, no such task, a task running). */
export async function askAssistant(input: AskInput): Promise<Outcome<Response>> {
  const { env } = input.context;
  const settings = assistantSettings(env);
  const caller = await authorize(routes.askAssistant, input.bearer, env.ACCESS_SECRET, (hash) => keyMinted(env, hash));
  if (!caller.ok) return caller;
  const credential = caller.value.credential;
  if (!credential) return failure("unauthorized", "Send the project's token or your agent key");
  // The project's own credential first: a stranger learns nothing, not even how the server is set up.
  const opened = await openProject(env, input.project, credential);
  if (!opened.ok) return opened;
  const modelSettings = settings.model;
  if (!modelSettings) {
    const problems = settings.problems.length ? ` (${settings.problems.join("; ")})` : "";
    return failure("unavailable", `No model is connected to the assistant${problems}. ${HOW_TO_CONNECT}`);
  }
  const handle = opened.value;
  const begun = (await handle
    .assistant()
    .begin(input.body.taskId ?? null, input.body.prompt, modelSettings.model, Date.now())) as Outcome<BegunTurn>;
  if (!begun.ok) {
    handle[Symbol.dispose]();
    return begun;
  }
  const stream = new TransformStream<Uint8Array, Uint8Array>();
  const turn = runStreamed(input, handle, begun.value, modelSettings, stream.writable);
  input.waitUntil(turn);
  return {
    ok: true,
    value: new Response(stream.readable, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store" },
    }),
  };
}

async function runStreamed(
  input: AskInput,
  handle: Rpc.Stub<ProjectHandle>,
  begun: BegunTurn,
  modelSettings: ModelSettings,
  writable: WritableStream<Uint8Array>,
): Promise<void> {
  const { project, bearer, context } = input;
  const settings = assistantSettings(context.env);
  const tasks = handle.assistant();
  const controller = startRunning(project, begun.taskId);
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const write = (text: string) =>
    writer.write(encoder.encode(text)).catch(() => {
      // The client went away: nobody is left to watch the turn, so it stops.
      controller.abort(new Error("The client closed the stream"));
    });
  const emit = (event: AssistantEvent) => void write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
  const keepAlive = setInterval(() => void write(": keep-alive\n\n"), KEEPALIVE_MS);
  const poll = setInterval(() => {
    void Promise.resolve(tasks.heartbeat(begun.taskId, Date.now()))
      .then((stop) => {
        if (stop) controller.abort(new Error("Stopped by the person"));
      })
      .catch(() => {});
  }, POLL_MS);
  const invoke: Invoke = (route, args) =>
    run(
      route as OperationName,
      { params: args.params ?? {}, query: args.query ?? {}, body: args.body } as OperationArgs<OperationName>,
      bearer,
      context,
    );
  const tools = scopedTools(project, invoke);
  let result: TurnResult | null = null;
  let failed: string | null = null;
  try {
    emit({
      event: "start",
      data: {
        taskId: begun.taskId,
        continued: begun.continued,
        stepLimit: settings.stepLimit,
        tokenBudget: settings.tokenBudget,
      },
    });
    result = await runTurn({
      model: languageModel(modelSettings, context.env.AI, settings.timeoutMs),
      system: instructions(
        project,
        tools.map((t) => t.name),
      ),
      tools,
      history: parseHistory(begun.messages),
      prompt: input.body.prompt,
      turn: begun.turn,
      stepLimit: settings.stepLimit,
      tokenBudget: settings.tokenBudget,
      timeoutMs: settings.timeoutMs,
      signal: controller.signal,
      emit,
      record: async (step: TaskStep) => {
        if (await tasks.step(begun.taskId, recordable(step))) controller.abort(new Error("Stopped by the person"));
      },
    });
  } catch (error) {
    console.error("assistant turn failed", error);
    failed = error instanceof Error ? error.message : String(error);
  }
  clearInterval(poll);
  try {
    const effect = result?.reason ? await draftEffect(invoke, project) : null;
    if (result?.reason && effect) {
      emit({
        event: "done",
        data: {
          taskId: begun.taskId,
          reason: result.reason,
          summary: result.summary,
          draftRevision: effect.draftRevision,
          tokens: result.tokens,
          steps: result.steps,
          files: effect.files,
          dataEffect: effect.dataEffect,
        },
      });
    } else {
      emit({
        event: "error",
        data: result?.error ?? { code: "internal", message: `The assistant failed: ${failed ?? "unknown error"}` },
      });
    }
    const status = result?.reason === "stopped" ? "stopped" : result?.reason ? "done" : "failed";
    await tasks.end(
      begun.taskId,
      begun.turn,
      {
        status,
        reason: result?.reason ?? null,
        summary: result?.summary ? cutText(result.summary, RECORD_TEXT_BYTES).text : null,
        error: result?.reason ? null : (result?.error ?? { code: "internal", message: failed ?? "unknown error" }),
        draftRevision: effect?.draftRevision ?? null,
        tokens: result?.tokens ?? { input: 0, output: 0 },
        messages: JSON.stringify(keptHistory(result?.history ?? parseHistory(begun.messages))),
      },
      Date.now(),
    );
  } finally {
    clearInterval(keepAlive);
    finishRunning(project, begun.taskId, controller);
    await writer.close().catch(() => {});
    handle[Symbol.dispose]();
  }
}
