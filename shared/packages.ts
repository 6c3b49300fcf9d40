/**
 * npm packages in a project (docs/packages.md): the lock each version keeps, what a save answers about
 * the packages it bundled, and the limits an install is held to. The server (server/packages/) writes
 * these shapes, the client and the MCP tools read them.
 */
import { z } from "zod";

/** A package name as npm allows it: lower case, optionally scoped (`@scope/name`), no path tricks. */
export const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
export const PackageName = z.string().max(214).regex(PACKAGE_NAME, "not an npm package name");

/** One resolved package of a version's lock: exactly which tarball its modules came from. */
export const LockEntry = z.object({
  name: PackageName,
  /** The exact version (semver), never a range. */
  version: z.string().min(1).max(256),
  /** Subresource integrity of the tarball, as the registry's `dist.integrity` gives it (sha512-…). */
  integrity: z.string().min(1).max(512),
  /** The tarball's URL it was fetched from. */
  resolved: z.string().url().max(2048),
});
export type LockEntry = z.infer<typeof LockEntry>;

/** A version's lock: every package it resolved (dependencies of dependencies too), sorted by name then version. */
export const PackageLock = z.array(LockEntry);
export type PackageLock = z.infer<typeof PackageLock>;

/** A package a save bundled, as its answer lists it. */
export const SavedPackage = z.object({ name: PackageName, version: z.string() });
export type SavedPackage = z.infer<typeof SavedPackage>;

/** What a save did to make a package's files ready: fetched (bytes of its tarball) or found in the cache. */
export const InstallReport = z.object({
  name: PackageName,
  version: z.string(),
  /** Bytes of the package's files the app's modules use (its unpacked size when fetched). */
  bytes: z.number().int().nonnegative(),
  /** Time spent getting its files (fetch, integrity check, unpacking), in milliseconds. */
  ms: z.number().nonnegative(),
  fromCache: z.boolean(),
});
export type InstallReport = z.infer<typeof InstallReport>;

/** What a save answers about packages (added to PutCodeResponse). */
export const SavePackages = z.object({
  /** The packages whose modules the app loads, by name. */
  packages: z.array(SavedPackage),
  /** The packages whose files this save had to get, with where from. */
  installed: z.array(InstallReport),
});
export type SavePackages = z.infer<typeof SavePackages>;

/** The limits an install is held to (each refusal is a 422 that names the limit). */
export const PACKAGE_LIMITS = {
  /** Packages in a project's lock, dependencies of dependencies included. */
  maxPackages: 200,
  /** A package's tarball as downloaded. */
  maxTarballBytes: 16 * 1024 * 1024,
  /** A package's files once unpacked. */
  maxUnpackedBytes: 64 * 1024 * 1024,
  /** Files in one package. */
  maxFilesPerPackage: 10_000,
  /**
   * The app's modules together (the project's files and the packages' modules they reach), counted
   * uncompressed: Cloudflare's Worker size limit is 10 MiB after gzip on paid plans, and counting
   * uncompressed keeps every bundle under it.
   */
  maxBundleBytes: 10 * 1024 * 1024,
  /** One save's installing (registry calls, downloads, unpacking), in milliseconds. */
  installMs: 60_000,
} as const;

/** package.json as far as installing reads it; anything else in it is kept, not read. */
export const ProjectManifest = z.looseObject({
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
  peerDependencies: z.record(z.string(), z.string()).optional(),
});
export type ProjectManifest = z.infer<typeof ProjectManifest>;

/** The registry used unless NPM_CONFIG_REGISTRY names another. */
export const DEFAULT_REGISTRY = "https://registry.npmjs.org/";
