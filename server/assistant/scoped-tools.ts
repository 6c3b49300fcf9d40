/**
 * The assistant's tools: the MCP tools of the same registry (server/mcp/tools.ts), scoped to one
 * project and restricted to what cannot change the live app. The project is fixed (the `project`
 * argument is gone from what the model sees, and a call that names another is refused); tools that
 * can reach the live app take the draft alone (`target` is forced, and a call asking for the live app
 * is refused); every other tool (write_code, promote_draft, restore_version, env, network, deletion)
 * is not offered, so a call to it is refused by the AI SDK as an unknown tool. A prompt injection in
 * the app's data, logs or code therefore cannot reach the live app or another project: the tools it
 * could ask for do not exist here. Pure apart from `invoke`, which runs the real operations with the
 * project's credential; the unit tests give it a fake one.
 * Tables: none.
 */
import { z } from "zod";
import { TOOL_RESULT_MAX_BYTES } from "../../shared/assistant";
import { DraftResponse } from "../../shared/time-travel";
import { type Invoke, tools as registry, type ToolSpec } from "../mcp/tools";
import { cutText } from "./cut";
import { filesDiff } from "./diffs";

/** Which registry tools the assistant has, and the arguments forced on each. */
const ALLOWED: Record<string, { force?: Record<string, string>; writesDraft?: boolean }> = {
  read_code: {},
  list_versions: {},
  get_draft: {},
  write_draft: { writesDraft: true },
  edit_file: { force: { target: "draft" }, writesDraft: true },
  request_app: { force: { target: "draft" } },
  websocket_app: { force: { target: "draft" } },
  read_logs: {},
  run_sql: { force: { target: "draft" } },
  replay_requests: {},
  list_requests: {},
  get_request: {},
  get_metrics: {},
  // Reading the live data changes nothing; run_sql (on the draft) is what writes.
  list_tables: {},
  describe_table: {},
  read_rows: {},
};

export const ASSISTANT_TOOL_NAMES = Object.keys(ALLOWED);

export interface ToolOutcome {
  ok: boolean;
  /** What the model gets, cut with a note. */
  text: string;
  truncated: boolean;
  /** For a tool that wrote the draft: its files' changes, as unified diffs. */
  diff?: string;
}

export interface ScopedTool {
  name: string;
  description: string;
  /** The arguments' JSON Schema as the model sees it (no project, no forced field). */
  parameters: Record<string, unknown>;
  run(args: unknown): Promise<ToolOutcome>;
}

const refusal = (text: string): ToolOutcome => ({ ok: false, text, truncated: false });

function outcomeOf(result: { content: { text: string }[]; isError?: boolean }, maxBytes: number): ToolOutcome {
  const cut = cutText(result.content.map((c) => c.text).join("\n"), maxBytes);
  return { ok: result.isError !== true, text: cut.text, truncated: cut.truncated };
}

/** The draft's files, or null when there is no draft. */
async function draftFiles(invoke: Invoke, project: string): Promise<Record<string, string> | null> {
  const read = await invoke("getDraft", { params: { id: project } });
  if (!read.ok) return null;
  const parsed = DraftResponse.safeParse(read.value);
  return parsed.success ? (parsed.data.draft?.files ?? null) : null;
}

async function liveFiles(invoke: Invoke, project: string): Promise<Record<string, string>> {
  const read = await invoke("getCode", { params: { id: project } });
  const parsed = z.object({ files: z.record(z.string(), z.string()) }).safeParse(read.ok ? read.value : null);
  return parsed.success ? parsed.data.files : {};
}

/**
 * edit_file on the draft needs a draft: the assistant's first write makes one from the live code
 * (write_draft copies the live data then), so a question that writes nothing leaves none.
 */
async function ensureDraft(invoke: Invoke, project: string): Promise<Record<string, string> | null> {
  const existing = await draftFiles(invoke, project);
  if (existing) return existing;
  const files = await liveFiles(invoke, project);
  if (Object.keys(files).length === 0) return null;
  const made = await invoke("putDraftCode", {
    params: { id: project },
    body: { files, message: "the assistant's draft" },
  });
  return made.ok ? files : null;
}

function scope(
  spec: ToolSpec,
  policy: { force?: Record<string, string>; writesDraft?: boolean },
  project: string,
  invoke: Invoke,
  maxBytes: number,
): ScopedTool {
  const forced = policy.force ?? {};
  const hidden: Record<string, true> = { project: true };
  for (const key of Object.keys(forced)) hidden[key] = true;
  const own = spec.input.omit(hidden);
  return {
    name: spec.name,
    description: spec.description,
    parameters: z.toJSONSchema(own, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    async run(args) {
      const given = args ?? {};
      if (typeof given !== "object" || Array.isArray(given)) {
        return refusal(`${spec.name} takes an object of arguments, not ${JSON.stringify(given).slice(0, 80)}`);
      }
      const { project: named, ...rest } = given as Record<string, unknown>;
      if (named !== undefined && named !== project) {
        return refusal(
          `Refused: this assistant works on project ${project} alone; ${spec.name} cannot reach ${JSON.stringify(named).slice(0, 80)}`,
        );
      }
      for (const [key, value] of Object.entries(forced)) {
        if (rest[key] !== undefined && rest[key] !== value) {
          return refusal(
            `Refused: the assistant's ${spec.name} works on the ${value} only (${key} ${JSON.stringify(rest[key]).slice(0, 40)} is not allowed); the person promotes the draft`,
          );
        }
      }
      const parsed = own.safeParse(rest);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`);
        return refusal(`Invalid arguments for ${spec.name}: ${issues.join("; ")}`);
      }
      const full = { ...parsed.data, ...forced, project };
      const before = policy.writesDraft
        ? spec.name === "edit_file"
          ? await ensureDraft(invoke, project)
          : await draftFiles(invoke, project)
        : null;
      const result = outcomeOf(await spec.run(full, invoke), maxBytes);
      if (!policy.writesDraft || !result.ok) return result;
      const after = await draftFiles(invoke, project);
      const base = before ?? (await liveFiles(invoke, project));
      const diff = after
        ? filesDiff(base, after)
            .map((f) => f.diff)
            .join("\n")
        : "";
      return diff ? { ...result, diff } : result;
    },
  };
}

/** The assistant's tools for `project`, running the real operations through `invoke`. */
export function scopedTools(
  project: string,
  invoke: Invoke,
  maxBytes = TOOL_RESULT_MAX_BYTES,
  from: ToolSpec[] = registry,
): ScopedTool[] {
  return from.flatMap((spec) => {
    const policy = ALLOWED[spec.name];
    return policy ? [scope(spec, policy, project, invoke, maxBytes)] : [];
  });
}
