/**
 * The package cache's tables (tables.ts) read and written: packuments with when they were fetched,
 * and each checked package version with its files, split in parts under SQLite's value limit and
 * joined again when read. PackageCache.ts decides what to fetch and keep; this is how it is stored.
 */

import semver from "semver";
import { concatBytes } from "../bounded-body";
import type { Packument, VersionInfo } from "./registry";
import { Packument as PackumentSchema } from "./registry";
import { FILE_PART_BYTES, PACKAGE_CACHE_SCHEMA } from "./tables";

export class PackageStore {
  #storage: DurableObjectStorage;
  #sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#sql.exec(PACKAGE_CACHE_SCHEMA);
  }

  /** The stored packument of `name` and when it was fetched (null: none, or one that no longer parses). */
  packument(name: string): { packument: Packument; fetchedAt: number } | null {
    const row = this.#sql
      .exec<{ body: string; fetched_at: number }>("SELECT body, fetched_at FROM packuments WHERE name = ?", name)
      .toArray()[0];
    if (!row) return null;
    const parsed = PackumentSchema.safeParse(JSON.parse(row.body));
    return parsed.success ? { packument: parsed.data, fetchedAt: row.fetched_at } : null;
  }

  savePackument(name: string, packument: Packument): void {
    this.#sql.exec(
      "INSERT OR REPLACE INTO packuments (name, body, fetched_at) VALUES (?, ?, ?)",
      name,
      JSON.stringify(trimmed(packument)),
      Date.now(),
    );
  }

  /** A stored package version's integrity and size (undefined: not stored). */
  stored(id: string): { integrity: string; bytes: number } | undefined {
    return this.#sql
      .exec<{ integrity: string; bytes: number }>("SELECT integrity, bytes FROM packages WHERE id = ?", id)
      .toArray()[0];
  }

  /** The ids (name@version) of the stored packages, in order. */
  ids(): string[] {
    return this.#sql
      .exec<{ id: string }>("SELECT id FROM packages ORDER BY id")
      .toArray()
      .map((r) => r.id);
  }

  /** A stored package version's files, by path. */
  files(id: string): Map<string, Uint8Array> {
    const parts = new Map<string, Uint8Array[]>();
    for (const row of this.#sql.exec<{ path: string; data: ArrayBuffer }>(
      "SELECT path, data FROM package_files WHERE id = ? ORDER BY path, part",
      id,
    )) {
      const list = parts.get(row.path) ?? [];
      list.push(new Uint8Array(row.data));
      parts.set(row.path, list);
    }
    const files = new Map<string, Uint8Array>();
    for (const [path, list] of parts) files.set(path, list.length === 1 ? (list[0] as Uint8Array) : concatBytes(list));
    return files;
  }

  /** Stores a checked package version's files, in one transaction: the `packages` row says they are complete. */
  savePackage(id: string, integrity: string, files: Map<string, Uint8Array>, bytes: number): void {
    this.#storage.transactionSync(() => {
      this.#sql.exec("DELETE FROM package_files WHERE id = ?", id);
      for (const [path, data] of files) {
        for (let part = 0, at = 0; at < data.byteLength || part === 0; part++, at += FILE_PART_BYTES) {
          this.#sql.exec(
            "INSERT INTO package_files (id, path, part, data) VALUES (?, ?, ?, ?)",
            id,
            path,
            part,
            data.subarray(at, at + FILE_PART_BYTES),
          );
        }
      }
      this.#sql.exec(
        "INSERT OR REPLACE INTO packages (id, integrity, bytes, files, fetched_at) VALUES (?, ?, ?, ?, ?)",
        id,
        integrity,
        bytes,
        files.size,
        Date.now(),
      );
    });
  }
}

/** A packument small enough for one row (SQLite's value limit): the newest versions past the limit are kept. */
function trimmed(packument: Packument): Packument {
  const body = JSON.stringify(packument);
  if (body.length < 1_500_000) return packument;
  const tagged = new Set(Object.values(packument.distTags));
  const versions = Object.keys(packument.versions)
    .filter((v) => semver.valid(v))
    .sort(semver.rcompare)
    .filter((v, i) => i < 500 || tagged.has(v));
  return { ...packument, versions: Object.fromEntries(versions.map((v) => [v, packument.versions[v] as VersionInfo])) };
}
