/**
 * The schema of the versions' tables: the project row, its versions, its variables and the key of
 * the app's channel (store.ts reads and writes them). Only the supervisor opens this database.
 */

/** The project's one row. */
export const PROJECT_SCHEMA = `
CREATE TABLE IF NOT EXISTS project (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  -- SHA-256 of the agent key the project was created with (it opens the project too); null for none.
  owner_key_hash TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  current_version INTEGER,
  -- Set when the launcher's verdict blames this version for freezing the runtime (verdicts.ts).
  hung_version INTEGER,
  hung_detail TEXT,
  requests INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0
);
`;

/** The versions, the project's variables and the channel's key. */
export const VERSION_SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (
  version INTEGER PRIMARY KEY,
  code_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  main TEXT NOT NULL,
  files TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- The label it was saved with (write_code's message); null for none.
  message TEXT,
  -- Its npm packages' lock (shared/packages.ts PackageLock) as JSON; null for none.
  lock TEXT
);
CREATE INDEX IF NOT EXISTS versions_by_code ON versions (code_id);
CREATE TABLE IF NOT EXISTS env_vars (name TEXT PRIMARY KEY, value TEXT NOT NULL, secret INTEGER NOT NULL);
-- Where the launcher once read which request ran last (it reads the apps' activity markers now).
DROP TABLE IF EXISTS last_request;
-- The key the wrapper's channel secrets derive from (app-channel.ts); never leaves this database.
CREATE TABLE IF NOT EXISTS channel_key (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), key TEXT NOT NULL);
`;

/** Columns added after a table was first created: [table, column, ALTER statement]. */
export const ADDED_COLUMNS: [table: string, column: string, alter: string][] = [
  ["project", "owner_key_hash", "ALTER TABLE project ADD COLUMN owner_key_hash TEXT"],
  ["versions", "message", "ALTER TABLE versions ADD COLUMN message TEXT"],
  ["versions", "lock", "ALTER TABLE versions ADD COLUMN lock TEXT"],
];
