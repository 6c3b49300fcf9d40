/**
 * The supervisor's own SQLite tables (store.ts, log-ring.ts; verdicts.ts makes its own on first use).
 * Only the supervisor opens this database: the launcher, which once wrote the hung marks here from
 * Node while the runtime was down, now hands its verdicts to the restarted runtime (verdicts.ts).
 * The file stays plain JavaScript with types in tables.d.mts for now; it could become TypeScript.
 *
 * The app's database is another one (the facet's) and is never opened here.
 */

export const SUPERVISOR_SCHEMA = `
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
CREATE TABLE IF NOT EXISTS versions (
  version INTEGER PRIMARY KEY,
  code_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  main TEXT NOT NULL,
  files TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_by_code ON versions (code_id);
CREATE TABLE IF NOT EXISTS env_vars (name TEXT PRIMARY KEY, value TEXT NOT NULL, secret INTEGER NOT NULL);
-- Where the launcher once read which request ran last (it reads the apps' activity markers now).
DROP TABLE IF EXISTS last_request;
-- The key the wrapper's channel secrets derive from (app-channel.ts); never leaves this database.
CREATE TABLE IF NOT EXISTS channel_key (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), key TEXT NOT NULL);
-- The log ring: a LogEntry as JSON (without its seq), numbered by seq.
CREATE TABLE IF NOT EXISTS logs (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);
-- The draft: code tried on a copy of the live data (the facet "draft"), until promoted or discarded.
CREATE TABLE IF NOT EXISTS draft (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  revision INTEGER NOT NULL,
  code_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  main TEXT NOT NULL,
  files TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  based_on_version INTEGER
);
`;

/** Columns added after a table was first created: [table, column, ALTER statement]. */
export const ADDED_COLUMNS = [["project", "owner_key_hash", "ALTER TABLE project ADD COLUMN owner_key_hash TEXT"]];
