/**
 * What an MCP tool is (name, description, input and output schemas, the routes it runs) and the
 * helpers that make one from a route of the HTTP API. Input schemas are built from the route table's
 * own zod schemas (a project's `id` becomes `project`), so a tool takes exactly what the HTTP route
 * takes and is validated the same way. Each tool runs the routes' operations through `invoke`
 * (server.ts hands it the real ones), so a tool and its HTTP route answer alike, errors included.
 * Pure: the unit tests run tools with a fake `invoke`.
 *
 * Every agent pays for the tool list in its context, so what it declares is kept small: the project
 * id's pattern is checked when the tool runs (as the HTTP route checks it) rather than spelled out in
 * every tool, and the output schema is not listed (../tool-list.ts).
 */
import { z } from "zod";
import { type RouteName, routes } from "../../../shared/http/routes";
import type { Outcome } from "../../outcome";
import { failureText } from "../format";

/** Runs a route's operation with the caller's credential; `args` as the route's schemas describe them. */
export type Invoke = (
  route: RouteName,
  args: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown },
) => Promise<Outcome<unknown>>;

export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  /** The routes this tool runs (its input and output schemas come from them). */
  routes: RouteName[];
  input: z.ZodObject;
  /** What the answer's structured content holds: the SDK checks each answer against it (not listed). */
  output: z.ZodObject;
  /**
   * Input fields of the tool's own, besides its route's, that only choose how much of the answer
   * comes back (get_metrics' `series`): the answer is then the route's, shortened.
   */
  answerOptions?: string[];
  /**
   * When the route's JSON body is one argument of the tool (`argument`) rather than its fields, and
   * which of the body's fields stay arguments of their own (`alongside`).
   */
  bodyAs?: { argument: string; alongside: string[] };
  /** Whether it changes nothing (an MCP client may then call it without asking). */
  readOnly: boolean;
  run(args: Record<string, unknown>, invoke: Invoke): Promise<ToolResult>;
}

/** Checked against ProjectId when the tool runs (api/operations.ts), with the HTTP route's words. */
export const project = z.string().max(64).describe("The project's id");

/** A tool's input: `project` (for a project's route) and the route's own fields. */
export const input = (shape: z.ZodRawShape = {}, forProject = true) =>
  z.strictObject(forProject ? { project, ...shape } : shape);

export const asObject = (schema: unknown): z.ZodObject => schema as z.ZodObject;

/** A tool's answer: the value as JSON text and as structured content; a failure as an error result. */
export function toolResult(outcome: Outcome<unknown>, source?: Record<string, string>): ToolResult {
  if (!outcome.ok) return { isError: true, content: [{ type: "text", text: failureText(outcome, source) }] };
  const value = outcome.value as Record<string, unknown>;
  // Compact JSON: an answer is read by a model, which needs no indentation, and pays for every byte.
  return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value };
}

export const str = (value: unknown) => String(value);

/** A tool that runs one route: arguments split into path parameters, query and body as the route takes them. */
export function routeTool(
  name: string,
  route: RouteName,
  meta: { title: string; description: string; readOnly: boolean },
): ToolSpec {
  const spec = routes[route];
  const params = "params" in spec ? spec.params.shape : {};
  const { id: _id, ...otherParams } = params as z.ZodRawShape;
  const query = "query" in spec ? spec.query.shape : {};
  const body = "body" in spec ? asObject(spec.body).shape : {};
  const forProject = spec.auth === "project";
  return {
    name,
    ...meta,
    routes: [route],
    input: input({ ...otherParams, ...query, ...body }, forProject),
    output: asObject(spec.response),
    async run(args, invoke) {
      const pick = (shape: z.ZodRawShape) =>
        Object.fromEntries(Object.keys(shape).flatMap((k) => (args[k] === undefined ? [] : [[k, args[k]]])));
      const pathParams = { ...pick(otherParams), ...(forProject ? { id: str(args.project) } : {}) };
      const hasBody = "body" in spec;
      const outcome = await invoke(route, {
        params: pathParams,
        query: pick(query),
        body: hasBody ? pick(body) : undefined,
      });
      const saves = route === "putCode" || route === "putDraftCode";
      const files = saves ? (args.files as Record<string, string> | undefined) : undefined;
      return toolResult(outcome, files);
    },
  };
}
