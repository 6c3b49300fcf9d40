import { isStored } from "../data-folder";
import type { KeyRegistry } from "./KeyRegistry";

/** The registry object of one agent key, named by the key's SHA-256 (the key itself is never stored). */
export function keyRegistryFor(env: Env, keyHash: string): DurableObjectStub<KeyRegistry> {
  const namespace = env.KEYS as DurableObjectNamespace<KeyRegistry>;
  return namespace.get(namespace.idFromName(keyHash));
}

/**
 * The registry object named by `hash` if it has storage, or null without reaching it: a bearer that
 * was never minted or issued here leaves nothing in the data folder (data-folder.ts).
 */
async function existingRegistry(env: Env, hash: string): Promise<DurableObjectStub<KeyRegistry> | null> {
  const namespace = env.KEYS as DurableObjectNamespace<KeyRegistry>;
  const id = namespace.idFromName(hash);
  return (await isStored(env, "KeyRegistry", id)) ? namespace.get(id) : null;
}

/** Whether the agent key whose SHA-256 is `keyHash` was minted here. */
export async function keyMinted(env: Env, keyHash: string): Promise<boolean> {
  return (await (await existingRegistry(env, keyHash))?.minted()) ?? false;
}

/** Whether the project token whose SHA-256 is `tokenHash` was issued here. */
export async function tokenIssued(env: Env, tokenHash: string): Promise<boolean> {
  return (await (await existingRegistry(env, tokenHash))?.tokenIssued()) ?? false;
}
