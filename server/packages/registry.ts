/**
 * The npm registry as installing sees it: a package's metadata (its packument, trimmed to what
 * installing reads: versions, their dependencies, tarball and integrity, dist-tags) and its tarballs.
 * Which registry: NPM_CONFIG_REGISTRY (the launcher passes it on), else registry.npmjs.org. Failures
 * are PackageErrors naming the package and the registry; `RegistryUnreachable` is the one the cache
 * may answer from what it holds instead.
 */

import { z } from "zod";
import { DEFAULT_REGISTRY, PACKAGE_LIMITS } from "../../shared/packages";
import { readBounded } from "../bounded-body";
import { PackageError } from "./tarball";

/** The registry's base URL, with a trailing slash. */
export function registryUrl(env: { NPM_CONFIG_REGISTRY?: string }): string {
  const configured = env.NPM_CONFIG_REGISTRY?.trim();
  const base = configured ? configured : DEFAULT_REGISTRY;
  return base.endsWith("/") ? base : `${base}/`;
}

/** The packument's URL: a scoped name keeps its `@` and encodes its slash, as npm asks for it. */
export const packumentUrl = (registry: string, name: string) => `${registry}${name.replace("/", "%2f")}`;

/** The registry could not be reached (network, 5xx, timeout): the cache may still hold the package. */
export class RegistryUnreachable extends PackageError {
  override name = "RegistryUnreachable";
}

const Dependencies = z.record(z.string(), z.string()).optional().catch(undefined);

/** One version as installing reads it. */
export const VersionInfo = z.object({
  dependencies: Dependencies,
  peerDependencies: Dependencies,
  optionalDependencies: Dependencies,
  /** Peers marked optional: not installed for their own sake. */
  optionalPeers: z.array(z.string()).optional(),
  tarball: z.string(),
  integrity: z.string(),
  deprecated: z.string().optional(),
});
export type VersionInfo = z.infer<typeof VersionInfo>;

export const Packument = z.object({
  name: z.string(),
  distTags: z.record(z.string(), z.string()),
  versions: z.record(z.string(), VersionInfo),
});
export type Packument = z.infer<typeof Packument>;

/** What the registry answers, as far as it is read (anything else in it is ignored). */
const RawPackument = z.looseObject({
  name: z.string(),
  "dist-tags": z.record(z.string(), z.string()).optional(),
  versions: z.record(
    z.string(),
    z.looseObject({
      dependencies: Dependencies,
      peerDependencies: Dependencies,
      optionalDependencies: Dependencies,
      peerDependenciesMeta: z
        .record(z.string(), z.looseObject({ optional: z.boolean().optional() }))
        .optional()
        .catch(undefined),
      deprecated: z.union([z.string(), z.boolean()]).optional().catch(undefined),
      dist: z.looseObject({ tarball: z.string(), integrity: z.string().optional(), shasum: z.string().optional() }),
    }),
  ),
});

/** Largest packument read (some packages publish thousands of versions). */
const MAX_PACKUMENT_BYTES = 64 * 1024 * 1024;
/** A registry call that takes longer counts as unreachable. */
const FETCH_TIMEOUT_MS = 20_000;

/** The packument of `name`, trimmed, from the registry (PackageError for a 404, RegistryUnreachable for the rest). */
export async function fetchPackument(
  registry: string,
  name: string,
  sha1: (shasum: string) => string,
): Promise<Packument> {
  const url = packumentUrl(registry, name);
  const response = await registryFetch(url, name, registry, {
    // The abbreviated form npm itself asks for: dependencies and dist without readmes.
    accept: "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8",
  });
  if (response.status === 404) {
    await response.body?.cancel();
    throw new PackageError(`Package '${name}' was not found in the registry ${registry}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RegistryUnreachable(`The registry ${registry} answered ${response.status} for '${name}'`);
  }
  const text = new TextDecoder().decode(
    await readBoundedResponse(response, MAX_PACKUMENT_BYTES, `'${name}''s metadata`),
  );
  let raw: z.infer<typeof RawPackument>;
  try {
    raw = RawPackument.parse(JSON.parse(text));
  } catch {
    throw new PackageError(`The registry ${registry} answered metadata for '${name}' that could not be read`);
  }
  const versions: Record<string, VersionInfo> = {};
  for (const [version, info] of Object.entries(raw.versions)) {
    const integrity = info.dist.integrity ?? (info.dist.shasum ? sha1(info.dist.shasum) : null);
    if (!integrity) continue;
    const optionalPeers = Object.entries(info.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional)
      .map(([peer]) => peer);
    versions[version] = {
      dependencies: info.dependencies,
      peerDependencies: info.peerDependencies,
      optionalDependencies: info.optionalDependencies,
      ...(optionalPeers.length > 0 ? { optionalPeers } : {}),
      tarball: info.dist.tarball,
      integrity,
      ...(typeof info.deprecated === "string" ? { deprecated: info.deprecated } : {}),
    };
  }
  return { name: raw.name, distTags: raw["dist-tags"] ?? {}, versions };
}

/** A tarball's bytes, held to the tarball size limit. */
export async function fetchTarball(url: string, label: string, registry: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await registryFetch(url, label, registry, {});
  if (!response.ok) {
    await response.body?.cancel();
    const message = `The registry ${registry} answered ${response.status} for ${label}'s tarball (${url})`;
    throw response.status === 404 ? new PackageError(message) : new RegistryUnreachable(message);
  }
  return readBoundedResponse(response, PACKAGE_LIMITS.maxTarballBytes, `${label}'s tarball`);
}

async function registryFetch(url: string, label: string, registry: string, headers: Record<string, string>) {
  if (!/^https?:\/\//.test(url))
    throw new PackageError(`${label}: the registry gave a URL that is not http(s): ${url}`);
  try {
    return await fetch(url, { headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "follow" });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new RegistryUnreachable(`Could not reach the registry ${registry} for '${label}' (${why})`);
  }
}

/** A response's body, refused past `max` bytes (declared or read). */
async function readBoundedResponse(response: Response, max: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  const tooBig = () => new PackageError(`${what} is more than ${Math.round(max / 1_048_576)} MiB (the limit)`);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > max) {
    await response.body?.cancel();
    throw tooBig();
  }
  const body = await readBounded(response.body, max, "cancel");
  if (!body) throw tooBig();
  return body;
}
