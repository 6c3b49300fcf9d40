/**
 * Deciding which versions a project gets (its lock), without touching files: the ranges of its
 * package.json, the packages its code imports that package.json does not list, and the ranges their
 * dependencies ask for, each met by a version npm would pick (semver's highest match). A lock given
 * (the previous version's) is kept wherever it still meets the ranges, so a save that changes nothing
 * in package.json asks the registry nothing. Several versions of one package may be locked when
 * ranges disagree; peer dependencies are met by what is locked already when they can be, and a
 * conflict npm would refuse without --legacy-peer-deps is resolved with a warning instead.
 */
import semver from "semver";
import {
  type LockEntry,
  PACKAGE_LIMITS,
  PACKAGE_NAME,
  type PackageLock,
  type ProjectManifest,
} from "../../shared/packages";
import type { Packument, VersionInfo } from "./registry";
import { PackageError } from "./tarball";

/** Where packuments come from: the cache, the registry when the cache cannot meet `range`. */
export interface PackumentSource {
  /** A packument that has a version meeting `range` if the registry has one (fresh enough, or all there is offline). */
  packument(name: string, range: string): Promise<Packument>;
  /** What installing needs of one exact version (a locked one). */
  version(name: string, version: string): Promise<VersionInfo>;
}

export interface Resolved {
  lock: PackageLock;
  /** For the save's warnings: unlisted imports, devDependencies bundled, peer conflicts. */
  warnings: string[];
}

/** The version of `packument` that `range` asks for (a dist-tag, a semver range, `*`/empty for latest), or null. */
export function pickVersion(packument: Packument, range: string): string | null {
  const wanted = range.trim();
  const tagged = packument.distTags[wanted === "" || wanted === "*" ? "latest" : wanted];
  if (tagged && Object.hasOwn(packument.versions, tagged)) return tagged;
  const versions = Object.keys(packument.versions);
  // npm prefers the `latest` tag when it meets the range.
  const latest = packument.distTags.latest;
  if (latest && Object.hasOwn(packument.versions, latest) && satisfies(latest, wanted)) return latest;
  return semver.maxSatisfying(versions, wanted === "" ? "*" : wanted);
}

export const satisfies = (version: string, range: string) =>
  range.trim() === "" || range.trim() === "latest" || semver.satisfies(version, range, { includePrerelease: false });

/** A range installing can meet from a registry; a git, file or URL dependency gets a PackageError. */
export function checkRange(name: string, range: string): void {
  // The name becomes part of a registry URL: only what npm allows as a name gets that far.
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw new PackageError(`${JSON.stringify(name.slice(0, 100))} is not an npm package name`);
  }
  if (
    /^(npm:|file:|link:|git\+|git:|github:|https?:|workspace:)/.test(range) ||
    /^[\w-]+\/[\w.-]+(#.*)?$/.test(range)
  ) {
    throw new PackageError(
      `'${name}': "${range}" is not a registry version; packages here come from the registry only (a version or range)`,
    );
  }
  if (range.trim() !== "" && semver.validRange(range) === null && !/^[a-z][\w.-]*$/i.test(range.trim())) {
    throw new PackageError(`'${name}': "${range}" is neither a version range nor a dist-tag`);
  }
}

interface Wanted {
  name: string;
  range: string;
  /** Who asks: "package.json" or `name@version`. */
  by: string;
  peer: boolean;
}

/**
 * The lock for a project's package.json and the package names its code imports. `previous`: the lock
 * to keep where it still fits (no registry call for those).
 */
export async function resolveLock(
  manifest: ProjectManifest | null,
  importedNames: string[],
  previous: PackageLock | null,
  source: PackumentSource,
): Promise<Resolved> {
  const warnings: string[] = [];
  const queue: Wanted[] = [];
  const dependencies = manifest?.dependencies ?? {};
  for (const [name, range] of Object.entries(dependencies))
    queue.push({ name, range, by: "package.json", peer: false });
  const unlisted: string[] = [];
  for (const name of new Set(importedNames)) {
    if (Object.hasOwn(dependencies, name)) continue;
    const dev = manifest?.devDependencies?.[name] ?? manifest?.peerDependencies?.[name];
    if (dev !== undefined) {
      queue.push({ name, range: dev, by: "package.json", peer: false });
      warnings.push(
        `'${name}' is listed only under devDependencies but the code imports it: bundled, as wrangler does`,
      );
    } else {
      queue.push({ name, range: "latest", by: "package.json", peer: false });
      unlisted.push(name);
    }
  }

  const chosen: LockEntry[] = [];
  const infos = new Map<string, VersionInfo>();
  while (queue.length > 0) {
    const wanted = queue.shift() as Wanted;
    const { name, range, by } = wanted;
    checkRange(name, range);
    const have = chosen.filter((entry) => entry.name === name);
    if (have.some((entry) => satisfies(entry.version, range))) continue;
    if (wanted.peer && have.length > 0) {
      warnings.push(
        `${by} wants peer ${name}@${range} but ${name}@${have[0]?.version} is installed: kept (npm would need --legacy-peer-deps)`,
      );
      continue;
    }
    const kept = previous?.find((entry) => entry.name === name && satisfies(entry.version, range));
    let entry: LockEntry;
    let info: VersionInfo;
    if (kept) {
      entry = kept;
      info = await source.version(name, kept.version);
    } else {
      const packument = await source.packument(name, range);
      const version = pickVersion(packument, range);
      if (version === null) {
        throw new PackageError(`No version of '${name}' matches "${range}" (asked by ${by})`);
      }
      info = packument.versions[version] as VersionInfo;
      entry = { name, version, integrity: info.integrity, resolved: info.tarball };
    }
    chosen.push(entry);
    if (chosen.length > PACKAGE_LIMITS.maxPackages) {
      throw new PackageError(
        `The project needs more than ${PACKAGE_LIMITS.maxPackages} packages (dependencies of dependencies included), the limit per project`,
      );
    }
    infos.set(`${name}@${entry.version}`, info);
    const label = `${name}@${entry.version}`;
    for (const [dep, depRange] of Object.entries(info.dependencies ?? {})) {
      queue.push({ name: dep, range: depRange, by: label, peer: false });
    }
    for (const [peer, peerRange] of Object.entries(info.peerDependencies ?? {})) {
      if (info.optionalPeers?.includes(peer)) continue;
      queue.push({ name: peer, range: peerRange, by: label, peer: true });
    }
  }
  for (const name of unlisted) {
    const entry = chosen.find((e) => e.name === name);
    if (entry) {
      warnings.push(
        `'${name}' is imported but not listed in package.json: used ${name}@${entry.version} (its latest); add "${name}": "^${entry.version}" to dependencies to keep it`,
      );
    }
  }
  chosen.sort((a, b) => (a.name === b.name ? semver.compare(a.version, b.version) : a.name < b.name ? -1 : 1));
  return { lock: chosen, warnings };
}
