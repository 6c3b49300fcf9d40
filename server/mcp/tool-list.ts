/**
 * The `tools/list` answer, made once per isolate: every agent reads it into its context, so it says
 * what an agent needs and no more. Each tool's input schema is its zod schema as JSON Schema (as the
 * SDK would make it; the SDK still validates calls with the zod schema itself), without the
 * `$schema` line the SDK repeats in every schema and the bounds that only say "a safe integer".
 *
 * No output schema is listed: an answer is JSON whose field names say what they hold, and the
 * schemas of all the answers were half of the listing. The server still checks each answer's
 * structured content against the tool's full output schema (registered with the SDK), and a client
 * validates structured content only against a schema it was given, so none is wrongly refused.
 */
import { type ListToolsResult, ToolSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { ToolSpec } from "./tools/tool-spec";

type Listed = ListToolsResult["tools"][number];
type ObjectSchema = Listed["inputSchema"];

/**
 * What a schema says that an agent never acts on, left out of the listing (the server still checks
 * all of it, and its error names the bound): bounds that only say "a safe integer" (zod's .int()
 * adds them), string lengths no hand-written value reaches, zod's `starts_with` format (the pattern
 * beside it says it), the names' schema of a record, and `additionalProperties: false` (every tool
 * refuses unknown arguments anyway, and says which).
 */
const LONG_ENOUGH = 1024;
function noise(this: unknown, key: string, value: unknown): unknown {
  if (key === "maximum" && value === Number.MAX_SAFE_INTEGER) return undefined;
  if (key === "minimum" && value === Number.MIN_SAFE_INTEGER) return undefined;
  if (key === "maxLength" && typeof value === "number" && value >= LONG_ENOUGH) return undefined;
  if (key === "format" && value === "starts_with") return undefined;
  if (key === "propertyNames") return undefined;
  if (key === "additionalProperties" && value === false) return undefined;
  return value;
}

function inputSchema(schema: z.ZodObject): ObjectSchema {
  const json = z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" });
  const { $schema: _, ...rest } = JSON.parse(JSON.stringify(json, noise)) as Record<string, unknown>;
  // Checked as the protocol's shape of a tool's schema (the JSON Schema type is wider).
  return ToolSchema.shape.inputSchema.parse(rest);
}

export function toolListing(tools: ToolSpec[]): ListToolsResult {
  return {
    tools: tools.map(
      (tool): Listed => ({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: inputSchema(tool.input),
        annotations: { readOnlyHint: tool.readOnly, openWorldHint: false },
      }),
    ),
  };
}

let listing: ListToolsResult | null = null;
/** The listing of `tools`, made at the first tools/list of this isolate. */
export function cachedToolListing(tools: ToolSpec[]): ListToolsResult {
  listing ??= toolListing(tools);
  return listing;
}
