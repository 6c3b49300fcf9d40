/**
 * The assistant's stream events read against the contract (shared/assistant.ts): each message's
 * name picks its schema, and anything else (an unknown name, data that is not JSON or not what the
 * schema says) becomes a malformed item with a line saying what was wrong.
 */
import type { EventSourceMessage } from "eventsource-parser";
import { z } from "zod";
import {
  ASSISTANT_EVENTS,
  type AssistantEvent,
  DoneEvent,
  ErrorEvent,
  StartEvent,
  StepEvent,
  TextEvent,
  ToolEvent,
} from "../../shared/assistant";
import type { StreamItem } from "./sse";

const Message = z.discriminatedUnion("event", [
  z.object({ event: z.literal("start"), data: StartEvent }),
  z.object({ event: z.literal("step"), data: StepEvent }),
  z.object({ event: z.literal("tool"), data: ToolEvent }),
  z.object({ event: z.literal("text"), data: TextEvent }),
  z.object({ event: z.literal("done"), data: DoneEvent }),
  z.object({ event: z.literal("error"), data: ErrorEvent }),
]);

/** Longest excerpt of a bad message quoted in its error line. */
const QUOTE_CHARS = 120;

export function parseAssistantMessage(message: EventSourceMessage): StreamItem<AssistantEvent> {
  const name = message.event ?? "message";
  if (!Object.hasOwn(ASSISTANT_EVENTS, name)) {
    return { kind: "malformed", message: `An event the IDE does not know ("${quote(name)}") was skipped` };
  }
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return { kind: "malformed", message: `A ${name} event that is not JSON was skipped: ${quote(message.data)}` };
  }
  const parsed = Message.safeParse({ event: name, data });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 1 ? ` at ${issue.path.slice(1).join(".")}` : "";
    return {
      kind: "malformed",
      message: `A ${name} event the IDE cannot read was skipped (${issue?.message}${where})`,
    };
  }
  return { kind: "event", event: parsed.data };
}

function quote(text: string): string {
  return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text;
}
