/**
 * A project's network policy: what `GET/PUT /api/projects/:id/network` take and answer, and what the
 * gateway (server/bridges/network-gateway.ts) applies to every outbound call of the app. One schema,
 * shared by the server, the client, the route table and the MCP tools.
 */
import { z } from "zod";
import { envVarNamePattern } from "../api";
import { parseHostPattern } from "./hosts";

export const NETWORK_LIMITS = {
  /** Entries in a policy. */
  maxEntries: 50,
  /** Headers one entry injects. */
  maxHeaders: 10,
  /** Characters of one injected header's template. */
  maxHeaderValue: 4096,
} as const;

/** Each call limit's range, default and meaning; the API's errors and the IDE's form use the same words. */
export const NETWORK_CALL_LIMITS = {
  subrequestsPerMinute: {
    min: 1,
    max: 100_000,
    default: 600,
    what: "outbound calls a minute the whole app may make (past it: refused)",
  },
  maxResponseBytes: {
    min: 1024,
    max: 100 * 1024 * 1024,
    default: 10 * 1024 * 1024,
    what: "bytes of one response's body (past it: the body fails while read)",
  },
  timeoutMs: {
    min: 100,
    max: 120_000,
    default: 30_000,
    what: "milliseconds one call may take until its response's headers (past it: it fails)",
  },
} as const;
export type NetworkCallLimitName = keyof typeof NETWORK_CALL_LIMITS;

const callLimit = (name: NetworkCallLimitName) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(NETWORK_CALL_LIMITS[name].min, `${name} is at least ${NETWORK_CALL_LIMITS[name].min}`)
    .max(NETWORK_CALL_LIMITS[name].max, `${name} is at most ${NETWORK_CALL_LIMITS[name].max}`)
    .describe(NETWORK_CALL_LIMITS[name].what);

/** Headers the gateway must not set: the connection's own, which the runtime decides. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "upgrade",
  "keep-alive",
  "te",
  "trailer",
  "proxy-connection",
]);
const headerToken = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/** The `${NAME}` secrets a header template names, or a message saying what is wrong with it. */
export function templateSecrets(template: string): { ok: true; names: string[] } | { ok: false; message: string } {
  if (/[\r\n\0]/.test(template)) return { ok: false, message: "a header value cannot hold line breaks or NUL" };
  const names: string[] = [];
  const rest = template.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    names.push(name);
    return "";
  });
  if (rest.includes(`$\{`)) return { ok: false, message: `a '$\{' without its closing '}'` };
  const bad = names.find((n) => !envVarNamePattern.test(n));
  if (bad !== undefined)
    return { ok: false, message: `'${"$"}{${bad}}' does not name a secret (letters, digits and _)` };
  return { ok: true, names };
}

const HeaderName = z
  .string()
  .regex(headerToken, "header names are letters, digits and !#$%&'*+.^_`|~-")
  .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), "the connection's own headers cannot be injected");

const HeaderTemplate = z
  .string()
  .max(NETWORK_LIMITS.maxHeaderValue, `a header value has at most ${NETWORK_LIMITS.maxHeaderValue} characters`)
  .superRefine((template, ctx) => {
    const read = templateSecrets(template);
    if (!read.ok) ctx.addIssue({ code: "custom", message: read.message });
  });

export const NetworkHost = z
  .string()
  .max(300)
  .superRefine((host, ctx) => {
    const parsed = parseHostPattern(host);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  })
  .describe("api.example.com, *.example.com (any name under it), or an address with its port (127.0.0.1:8787)");

export const NetworkEntry = z.strictObject({
  host: NetworkHost,
  headers: z
    .record(HeaderName, HeaderTemplate)
    .refine((h) => Object.keys(h).length <= NETWORK_LIMITS.maxHeaders, {
      message: `an entry injects at most ${NETWORK_LIMITS.maxHeaders} headers`,
    })
    .optional()
    .describe(
      `Headers the gateway sets on calls to this host; ${"$"}{NAME} stands for the project's secret NAME, whose value the app never sees`,
    ),
});
export type NetworkEntry = z.infer<typeof NetworkEntry>;

/** `PUT /api/projects/:id/network`: the whole policy (a call limit left out goes back to its default). */
export const NetworkPolicy = z.strictObject({
  allow: z
    .array(NetworkEntry)
    .max(NETWORK_LIMITS.maxEntries, `a policy has at most ${NETWORK_LIMITS.maxEntries} entries`)
    .describe("The hosts the app may call; nothing else is reachable"),
  subrequestsPerMinute: callLimit("subrequestsPerMinute").optional(),
  maxResponseBytes: callLimit("maxResponseBytes").optional(),
  timeoutMs: callLimit("timeoutMs").optional(),
});
export type NetworkPolicy = z.infer<typeof NetworkPolicy>;

/** One outbound call as the terminal and the Network tab show it (never its query string or headers). */
export const NetworkCall = z.object({
  at: z.number().describe("When it started, ms since the epoch"),
  method: z.string(),
  host: z.string(),
  path: z.string().describe("Without the query string"),
  status: z.number().nullable().describe("null when refused or failed before an answer"),
  ms: z.number(),
  bytes: z.number().describe("Bytes of the response body read"),
  error: z.string().optional().describe("Why it was refused or failed"),
});
export type NetworkCall = z.infer<typeof NetworkCall>;

/** `GET /api/projects/:id/network` (and PUT's answer): the policy with every limit, and the last calls per host. */
export const NetworkResponse = z.object({
  allow: z.array(NetworkEntry),
  subrequestsPerMinute: z.number(),
  maxResponseBytes: z.number(),
  timeoutMs: z.number(),
  recent: z
    .array(z.object({ host: z.string(), calls: z.array(NetworkCall) }))
    .describe("The last calls to each host since the supervisor started, newest first"),
});
export type NetworkResponse = z.infer<typeof NetworkResponse>;

/** The secrets a policy's headers name, each once. */
export function policySecrets(policy: Pick<NetworkPolicy, "allow">): string[] {
  const names = new Set<string>();
  for (const entry of policy.allow) {
    for (const template of Object.values(entry.headers ?? {})) {
      const read = templateSecrets(template);
      if (read.ok) for (const name of read.names) names.add(name);
    }
  }
  return [...names];
}
