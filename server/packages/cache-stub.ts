/**
 * The one package cache every project shares. Its name is fixed (no caller chooses it), so reaching
 * it never makes storage for an id nobody asked for.
 */
import type { PackageCache } from "./PackageCache";

export function packageCache(env: Env): DurableObjectStub<PackageCache> {
  const namespace = env.PACKAGES as DurableObjectNamespace<PackageCache>;
  return namespace.get(namespace.idFromName("packages"));
}
