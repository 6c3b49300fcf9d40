/**
 * The package cache's tables (PackageCache.ts owns them; nothing else opens this database):
 * packuments as installing reads them, with when they were fetched; each package version whose
 * tarball was fetched and checked, and its files (split in parts under SQLite's value limit).
 */
export const PACKAGE_CACHE_SCHEMA = `
CREATE TABLE IF NOT EXISTS packuments (
  name TEXT PRIMARY KEY,
  -- registry.ts's Packument as JSON: versions with their dependencies, tarball and integrity; dist-tags.
  body TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
);
-- A package version whose tarball matched its integrity; its files are complete once this row exists.
CREATE TABLE IF NOT EXISTS packages (
  id TEXT PRIMARY KEY, -- name@version
  integrity TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  files INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS package_files (
  id TEXT NOT NULL, -- name@version
  path TEXT NOT NULL,
  part INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (id, path, part)
);
`;

/** A file's part in one row: SQLite in a Durable Object holds values up to 2 MB. */
export const FILE_PART_BYTES = 512 * 1024;
