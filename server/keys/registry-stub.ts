import type { KeyRegistry } from "./KeyRegistry";

/** The registry object of one agent key, named by the key's SHA-256 (the key itself is never stored). */
export function keyRegistryFor(env: Env, keyHash: string): DurableObjectStub<KeyRegistry> {
  const namespace = env.KEYS as DurableObjectNamespace<KeyRegistry>;
  return namespace.get(namespace.idFromName(keyHash));
}
