/**
 * The records of which project each token was issued for (keys/KeyRegistry.ts), which the MCP
 * server's check reads: written when a token is made, and, for a token made before that record
 * existed, when it opens its project; dropped when its project is deleted.
 */
import { keyRegistryFor } from "../keys/registry-stub";

/** Token hashes this isolate has recorded (or found recorded), so each is recorded once per isolate. */
const recordedTokens = new Set<string>();

export async function recordToken(env: Env, tokenHash: string, project: string): Promise<void> {
  if (recordedTokens.has(tokenHash)) return;
  await keyRegistryFor(env, tokenHash).recordToken(project);
  if (recordedTokens.size >= 10_000) recordedTokens.clear();
  recordedTokens.add(tokenHash);
}

/** The token's project was deleted: the token is no credential of this server any more. */
export async function forgetToken(env: Env, tokenHash: string): Promise<void> {
  recordedTokens.delete(tokenHash);
  await keyRegistryFor(env, tokenHash).forgetToken();
}
