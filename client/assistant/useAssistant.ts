/**
 * The Assistant panel's state and actions: the server's configuration and latest tasks (asked for
 * when the panel is first shown), a prompt sent as a new task or a follow-up, its event stream read
 * into the task state as it arrives, and Stop.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { type AssistantOverview, DEFAULT_STEP_LIMIT, DEFAULT_TOKEN_BUDGET } from "../../shared/assistant";
import { messageOf } from "../../shared/errors";
import { errorOf } from "../../shared/http/api-client";
import { client } from "../lib/api";
import { parseAssistantMessage } from "./events";
import { readEventStream } from "./sse";
import { type Decision, initialTask, type TaskState, taskReducer } from "./task-state";

export function useAssistant(
  projectId: string,
  token: string,
  /** Shown now: the configuration is asked for the first time it is. */
  active: boolean,
  /** The assistant wrote to the draft, or ended a turn: the workbench asks for the draft again. */
  onDraftChanged: () => void,
) {
  const [overview, setOverview] = useState<AssistantOverview | null>(null);
  const [overviewError, setOverviewError] = useState<string | null>(null);
  const [state, dispatch] = useReducer(
    taskReducer,
    { stepLimit: DEFAULT_STEP_LIMIT, tokenBudget: DEFAULT_TOKEN_BUDGET },
    initialTask,
  );
  const latest = useRef<TaskState>(state);
  latest.current = state;
  const stream = useRef<AbortController | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!active && asked === 0) return;
    let cancelled = false;
    client.call("getAssistant", { params: { id: projectId }, credential: token }).then(
      (answer) => {
        if (cancelled) return;
        setOverview(answer);
        setOverviewError(null);
      },
      (error) => !cancelled && setOverviewError(messageOf(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, token, active, asked]);

  // Leaving the project ends a stream still being read (the task itself goes on on the server).
  useEffect(() => () => stream.current?.abort(), []);

  const send = useCallback(
    async (prompt: string) => {
      if (latest.current.running) return;
      const controller = new AbortController();
      stream.current = controller;
      const taskId = latest.current.taskId ?? undefined;
      dispatch({ type: "send", prompt });
      try {
        const response = await client.send("askAssistant", {
          params: { id: projectId },
          credential: token,
          body: { prompt, taskId },
          signal: controller.signal,
        });
        if (!response.ok) {
          const error = await errorOf(response);
          dispatch({ type: "failed", code: error.code, message: error.message });
          return;
        }
        if (!response.body) {
          dispatch({ type: "failed", code: "bad_response", message: "The server answered without a stream" });
          return;
        }
        for await (const item of readEventStream(response.body, parseAssistantMessage)) {
          if (item.kind === "malformed") {
            dispatch({ type: "malformed", message: item.message });
            continue;
          }
          dispatch({ type: "event", event: item.event });
          if ((item.event.event === "tool" && item.event.data.diff) || item.event.event === "done") onDraftChanged();
        }
        dispatch({ type: "ended" });
      } catch (error) {
        if (controller.signal.aborted) dispatch({ type: "failed", code: "stopped", message: "Stopped" });
        else dispatch({ type: "failed", code: "network", message: messageOf(error) });
      } finally {
        if (stream.current === controller) stream.current = null;
        setAsked((n) => n + 1);
      }
    },
    [projectId, token, onDraftChanged],
  );

  /** Asks the server to stop the task (its stream then ends with `done`); without a task yet, drops the stream. */
  const stop = useCallback(async () => {
    const taskId = latest.current.taskId;
    if (taskId === null || latest.current.turns.at(-1)?.end) {
      stream.current?.abort();
      return;
    }
    try {
      await client.call("stopAssistantTask", { params: { id: projectId, taskId }, credential: token });
    } catch {
      // The server cannot be told: at least this page stops listening.
      stream.current?.abort();
    }
  }, [projectId, token]);

  /** Reopens one of the latest tasks from its record, to read it and continue it. */
  const open = useCallback(
    async (taskId: string) => {
      if (latest.current.running) return;
      try {
        const task = await client.call("getAssistantTask", { params: { id: projectId, taskId }, credential: token });
        dispatch({ type: "opened", task });
      } catch (error) {
        setOverviewError(messageOf(error));
      }
    },
    [projectId, token],
  );

  return {
    overview,
    open,
    overviewError,
    state,
    send,
    stop,
    newTask: useCallback(() => dispatch({ type: "new" }), []),
    decided: useCallback((decision: Decision) => dispatch({ type: "decided", decision }), []),
  };
}
