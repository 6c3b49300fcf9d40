/**
 * What a caller shows (`Authorization: Bearer ...`) and what it lets them do, decided once for the
 * HTTP API and the MCP server alike:
 * - a project's token opens that project;
 * - an agent key (AGENT_KEY_PREFIX) opens the projects created with it, lists them and creates more;
 * - the operator's ACCESS_SECRET, when set, lets a caller mint keys and create projects.
 * Minting keys and creating projects are open while no ACCESS_SECRET is set (the local default).
 */
import { AGENT_KEY_PREFIX } from "../../shared/api";
import type { RouteSpec } from "../../shared/http/routes";
import { TOKEN_PROTOCOL_PREFIX } from "../../shared/protocol";
import { failure, type Outcome, success } from "../outcome";
import type { Credential } from "../supervisor/handle/access";
import { hashesEqual, sha256Hex } from "../supervisor/versions/hashing";

/** Who is calling, once their bearer has been checked against what the route needs. */
export interface Caller {
  /** For a project's routes: what opens it. */
  credential: Credential | null;
  /** The caller's agent key (its SHA-256), checked to be minted, when the route takes one. */
  keyHash: string | null;
}

const anonymous: Caller = { credential: null, keyHash: null };

export const isAgentKey = (bearer: string): boolean => bearer.startsWith(AGENT_KEY_PREFIX);

/** A fresh secret: 256 random bits, base64url. */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A project token; never one that reads as an agent key. */
export function randomToken(): string {
  for (;;) {
    const token = randomSecret();
    if (!isAgentKey(token)) return token;
  }
}

export const randomAgentKey = (): string => `${AGENT_KEY_PREFIX}${randomSecret()}`;

/** The bearer from `Authorization: Bearer`, or for browser WebSockets from the `token.<...>` subprotocol. */
export function bearerOf(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (match?.[1]) return match[1];
  const protocols =
    request.headers
      .get("sec-websocket-protocol")
      ?.split(",")
      .map((p) => p.trim()) ?? [];
  const carried = protocols.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return carried ? carried.slice(TOKEN_PROTOCOL_PREFIX.length) : null;
}

/** Whether an agent key (by its hash) was minted here. */
export type KeyCheck = (keyHash: string) => Promise<boolean>;

const SECRET = "[A-Za-z0-9_-]{43}";
const KEY_FORM = new RegExp(`^${AGENT_KEY_PREFIX}${SECRET}$`);
const TOKEN_FORM = new RegExp(`^${SECRET}$`);

/**
 * What a bearer can be by its form alone (randomAgentKey, randomToken: 256 random bits in base64url),
 * or null for anything else, which is no credential of ours (the ACCESS_SECRET aside).
 */
export function credentialForm(bearer: string): "key" | "token" | null {
  if (KEY_FORM.test(bearer)) return "key";
  if (TOKEN_FORM.test(bearer) && !isAgentKey(bearer)) return "token";
  return null;
}

/**
 * Whether `bearer` is a credential of this server at all: the operator's ACCESS_SECRET, a minted
 * agent key, or a project's token issued here (`tokenIssued`, by its hash). What it opens is still
 * checked by each route. A bearer of neither form costs no lookup.
 */
export async function isKnownCredential(
  bearer: string,
  accessSecret: string | undefined,
  checks: { keyMinted: KeyCheck; tokenIssued: KeyCheck },
): Promise<boolean> {
  if (accessSecret && (await secretsEqual(bearer, accessSecret))) return true;
  const form = credentialForm(bearer);
  if (form === null) return false;
  const hash = await sha256Hex(bearer);
  return form === "key" ? checks.keyMinted(hash) : checks.tokenIssued(hash);
}

/**
 * Checks `bearer` against what `spec` needs. Failures are worded for both an HTTP client and an
 * agent: 401 for a credential that is missing or not one of ours, 403 for one that is real but does
 * not reach this (a project token where a key is needed).
 */
export async function authorize(
  spec: Pick<RouteSpec, "auth" | "keyOpens">,
  bearer: string | null,
  accessSecret: string | undefined,
  keyMinted: KeyCheck,
): Promise<Outcome<Caller>> {
  switch (spec.auth) {
    case "none":
      return success(anonymous);
    case "project": {
      if (!bearer) {
        return failure(
          "unauthorized",
          "Send the project's token or your agent key as 'Authorization: Bearer <token or key>'",
        );
      }
      const hash = await sha256Hex(bearer);
      const credential: Credential = isAgentKey(bearer) ? { kind: "key", hash } : { kind: "token", hash };
      return success({ credential, keyHash: null });
    }
    case "key": {
      if (!bearer) return failure("unauthorized", "Send your agent key as 'Authorization: Bearer <key>'");
      if (!isAgentKey(bearer)) {
        return failure(
          "forbidden",
          `This needs an agent key (they start with '${AGENT_KEY_PREFIX}'); a project's token opens that project only`,
        );
      }
      const keyHash = await sha256Hex(bearer);
      if (!(await keyMinted(keyHash))) return failure("unauthorized", unknownKey);
      return success({ credential: null, keyHash });
    }
    case "gated": {
      if (bearer && isAgentKey(bearer) && spec.keyOpens) {
        const keyHash = await sha256Hex(bearer);
        if (!(await keyMinted(keyHash))) return failure("unauthorized", unknownKey);
        return success({ credential: null, keyHash });
      }
      if (!accessSecret) return success(anonymous);
      if (bearer && (await secretsEqual(bearer, accessSecret))) return success(anonymous);
      return failure(
        "unauthorized",
        `This server needs its access secret${spec.keyOpens ? " or an agent key" : ""} for this: send it as 'Authorization: Bearer <secret>' (ask the server's operator)`,
      );
    }
  }
}

const unknownKey = "This agent key is not known here: mint one with POST /api/keys (or the IDE's Connect an agent)";

/** Compares by hash, so both sides have the same length and the comparison takes constant time. */
async function secretsEqual(given: string, expected: string): Promise<boolean> {
  return hashesEqual(await sha256Hex(given), await sha256Hex(expected));
}
