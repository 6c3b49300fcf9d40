/**
 * PackageCache: the one Durable Object (named "packages") that installs npm packages for every
 * project and keeps them (docs/packages.md). A save asks it for the modules of the packages its code
 * imports (`bundle`); it decides the versions (install.ts), gets each package's files (from its
 * tables, else the registry: integrity checked, unpacked, stored), and builds the module graph the
 * app reaches (modules.ts). What it stored survives restarts and serves offline; nothing in a
 * package runs here (install scripts never run: nothing executes at install).
 * Tables: tables.ts, read and written by package-store.ts.
 */
import { DurableObject } from "cloudflare:workers";
import semver from "semver";
import {
  type InstallReport,
  type LockEntry,
  PACKAGE_LIMITS,
  type PackageLock,
  type ProjectManifest,
  type SavedPackage,
} from "../../shared/packages";
import { dataFolderRefusal } from "../data-folder";
import { ContentsMemory } from "./contents-memory";
import { type PackumentSource, resolveLock } from "./install";
import { packageNameOf } from "./module-names";
import { buildGraph, type PackageContents, type PackageModule } from "./modules";
import { manifestOf } from "./package-files";
import { PackageStore } from "./package-store";
import {
  fetchPackument,
  fetchTarball,
  type Packument,
  RegistryUnreachable,
  registryUrl,
  type VersionInfo,
} from "./registry";
import { integrityMatches, PackageError, sha1Integrity, unpackPackage } from "./tarball";
import { isTypeFile } from "./type-files";

export interface BundleRequest {
  /** The project's package.json, parsed (null: it has none). */
  manifest: ProjectManifest | null;
  /** The bare specifiers the project's code imports (not node:, not cloudflare:). */
  imports: string[];
  /** The lock to keep where it still fits (the previous version's, or the one being restored). */
  lock: PackageLock | null;
  nodeCompat: boolean;
}

export type BundleAnswer =
  | {
      ok: true;
      lock: PackageLock;
      modules: Record<string, PackageModule>;
      entries: Record<string, string>;
      usesNode: boolean;
      warnings: string[];
      packages: SavedPackage[];
      installed: InstallReport[];
    }
  | { ok: false; message: string };

/** How long a fetched packument is used before the registry is asked again (unless it cannot be reached). */
const PACKUMENT_MAX_AGE_MS = 5 * 60_000;

export class PackageCache extends DurableObject<Env> {
  #store: PackageStore;
  #memory = new ContentsMemory();
  /** Registry calls made since this object started (for tests and the bench). */
  fetches = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new PackageStore(ctx.storage);
  }

  async bundle(request: BundleRequest): Promise<BundleAnswer> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new PackageError(`Installing took more than ${PACKAGE_LIMITS.installMs / 1000} s (the limit per save)`),
          ),
        PACKAGE_LIMITS.installMs,
      );
    });
    try {
      return await Promise.race([this.#bundle(request), deadline]);
    } catch (error) {
      if (error instanceof PackageError) return { ok: false, message: error.message };
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #bundle(request: BundleRequest): Promise<BundleAnswer> {
    const importedNames = request.imports.map(packageNameOf);
    const { lock, warnings } = await resolveLock(request.manifest, importedNames, request.lock, this.#source());
    const installed = new Map<string, InstallReport>();
    const rootRanges = { ...request.manifest?.devDependencies, ...request.manifest?.dependencies };
    const graph = await buildGraph({
      lock,
      rootRanges,
      imports: request.imports,
      nodeCompat: request.nodeCompat,
      contents: async (entry) => {
        const { contents, report } = await this.#contents(entry);
        installed.set(`${entry.name}@${entry.version}`, report);
        return contents;
      },
    });
    return {
      ok: true,
      lock,
      modules: graph.modules,
      entries: graph.entries,
      usesNode: graph.usesNode,
      warnings,
      packages: graph.used.map(({ name, version }) => ({ name, version })),
      installed: [...installed.values()],
    };
  }

  /** Declaration files and package.json of the locked packages (type-files.ts). */
  async typeFiles(lock: PackageLock): Promise<Record<string, string>> {
    const highest = new Map<string, LockEntry>();
    for (const entry of lock) {
      const seen = highest.get(entry.name);
      if (!seen || semver.gt(entry.version, seen.version)) highest.set(entry.name, entry);
    }
    const out: Record<string, string> = {};
    const decoder = new TextDecoder();
    for (const entry of highest.values()) {
      let contents: PackageContents;
      try {
        ({ contents } = await this.#contents(entry));
      } catch (error) {
        if (error instanceof PackageError) continue;
        throw error;
      }
      for (const [path, bytes] of contents.files) {
        if (isTypeFile(path)) out[`node_modules/${entry.name}/${path}`] = decoder.decode(bytes);
      }
    }
    return out;
  }

  /** Registry calls so far, and the packages stored (tests assert cache hits with it). */
  async stats(): Promise<{ fetches: number; packages: string[] }> {
    return { fetches: this.fetches, packages: this.#store.ids() };
  }

  #registry(): string {
    return registryUrl(this.env);
  }

  #source(): PackumentSource {
    return {
      packument: (name, range) => this.#packument(name, range),
      version: async (name, version) => {
        const cached = this.#store.packument(name);
        const info = cached?.packument.versions[version] ?? (await this.#packument(name, version)).versions[version];
        if (!info) throw new PackageError(`'${name}@${version}' is not in the registry ${this.#registry()}`);
        return info;
      },
    };
  }

  async #packument(name: string, range: string): Promise<Packument> {
    const cached = this.#store.packument(name);
    const fresh = cached && Date.now() - cached.fetchedAt < PACKUMENT_MAX_AGE_MS;
    if (cached && fresh) return cached.packument;
    const registry = this.#registry();
    try {
      this.fetches++;
      const packument = await fetchPackument(registry, name, sha1Integrity);
      this.#store.savePackument(name, packument);
      return packument;
    } catch (error) {
      // Offline, or the registry failing: what the cache holds serves (npm's --prefer-offline, without asking).
      if (error instanceof RegistryUnreachable && cached) return cached.packument;
      if (error instanceof RegistryUnreachable) {
        throw new PackageError(
          `Could not reach the registry ${registry} for '${name}' (wanted ${range}), and it is not in the package cache: ${error.message}`,
        );
      }
      throw error;
    }
  }

  /** A locked package's files: from memory, the tables, or its tarball (integrity checked, then stored). */
  async #contents(entry: LockEntry): Promise<{ contents: PackageContents; report: InstallReport }> {
    const id = `${entry.name}@${entry.version}`;
    const started = Date.now();
    const remembered = this.#memory.get(id, entry.integrity);
    if (remembered) {
      return { contents: remembered.contents, report: report(entry, remembered.bytes, started, true) };
    }
    const stored = this.#store.stored(id);
    let files: Map<string, Uint8Array>;
    let bytes: number;
    let fromCache: boolean;
    if (stored && stored.integrity === entry.integrity) {
      files = this.#store.files(id);
      bytes = stored.bytes;
      fromCache = true;
    } else {
      ({ files, bytes } = await this.#download(entry, id));
      fromCache = false;
    }
    const contents: PackageContents = { entry, files, manifest: manifestOf(files, id) };
    this.#memory.remember(id, contents, bytes);
    return { contents, report: report(entry, bytes, started, fromCache) };
  }

  async #download(entry: LockEntry, id: string): Promise<{ files: Map<string, Uint8Array>; bytes: number }> {
    const registry = this.#registry();
    // A lock from an imported bundle could name any URL: tarballs come from the registry's own origin,
    // else from where the registry's metadata says.
    let url = entry.resolved;
    if (new URL(url).origin !== new URL(registry).origin) {
      const info: VersionInfo | undefined = (await this.#packument(entry.name, entry.version)).versions[entry.version];
      if (!info) throw new PackageError(`'${id}' is not in the registry ${registry}`);
      url = info.tarball;
    }
    this.fetches++;
    let tarball: Uint8Array<ArrayBuffer>;
    try {
      tarball = await fetchTarball(url, id, registry);
    } catch (error) {
      if (error instanceof RegistryUnreachable) {
        throw new PackageError(
          `Could not reach the registry ${registry} for '${id}', and it is not in the package cache: ${error.message}`,
        );
      }
      throw error;
    }
    if (!(await integrityMatches(tarball, entry.integrity))) {
      throw new PackageError(
        `Integrity check failed for '${id}': the tarball from ${url} does not match ${entry.integrity.slice(0, 24)}… (the registry's dist.integrity); nothing was installed`,
      );
    }
    const { files, bytes } = await unpackPackage(tarball, id);
    // Locally, the operator's ceiling on the data folder holds for the cache as for a project's data.
    const refusal = await dataFolderRefusal(this.env, async () => bytes);
    if (refusal) throw new PackageError(`'${id}' was not installed: ${refusal.error.message}`);
    this.#store.savePackage(id, entry.integrity, files, bytes);
    return { files, bytes };
  }
}

const report = (entry: LockEntry, bytes: number, started: number, fromCache: boolean): InstallReport => ({
  name: entry.name,
  version: entry.version,
  bytes,
  ms: Date.now() - started,
  fromCache,
});
