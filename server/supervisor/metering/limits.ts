/**
 * A project's limits: the built-in defaults, the global ones from `DEFAULT_LIMITS` in wrangler.jsonc
 * over them, and the project's own, kept in the supervisor's SQLite (so they survive restarts).
 * Enforced by rate-limit.ts (requests and log lines a minute), by the meter inside the app's isolate
 * (database size) and by Cloudflare once deployed (cpuMs, subRequests; loader.ts passes them).
 *
 * Table: `limits` (createLimitsTable).
 */

import { DefaultLimitsSetting, type Limits, type LimitsResponse, type PutLimitsRequest } from "../../../shared/metrics";
import { type Ceilings, ceilingName, DEFAULT_CEILINGS } from "./ceilings";

/**
 * The built-in defaults, which wrangler.jsonc's DEFAULT_LIMITS repeats and may change. Requests: a
 * generous local ceiling (about a third of what the local runtime serves on two cores), so that one
 * app in a loop cannot starve the others; database: 1 GiB of the 10 GB Cloudflare allows; logs: as
 * many lines as a person can read in the terminal and then some; cpuMs and subRequests as before;
 * objects: enough for an app per room, user or document while a project stays one supervisor's work
 * (the README's "Many Durable Objects" has what 100 cost).
 */
export const BUILT_IN_LIMITS: Limits = {
  requestsPerMinute: 6_000,
  databaseBytes: 1_073_741_824,
  logLinesPerMinute: 3_000,
  cpuMs: 5_000,
  subRequests: 50,
  objects: 100,
  socketMessagesPerSecond: 100,
  projectSocketMessagesPerSecond: 1_000,
};

/** Limits that the app's isolate is loaded with: changing one restarts the app. */
const LOADED_WITH = [
  "databaseBytes",
  "cpuMs",
  "subRequests",
  "socketMessagesPerSecond",
  "projectSocketMessagesPerSecond",
] as const;

/** wrangler.jsonc's DEFAULT_LIMITS over the built-in ones; a malformed setting is reported and ignored. */
export function defaultLimits(setting: unknown): Limits {
  if (setting === undefined || setting === null || setting === "") return BUILT_IN_LIMITS;
  let value = setting;
  if (typeof setting === "string") {
    try {
      value = JSON.parse(setting);
    } catch {
      value = setting;
    }
  }
  const parsed = DefaultLimitsSetting.safeParse(value);
  if (parsed.success) return { ...BUILT_IN_LIMITS, ...parsed.data };
  console.error(
    `DEFAULT_LIMITS in wrangler.jsonc is not valid (${parsed.error.issues[0]?.message}); the built-in limits apply`,
  );
  return BUILT_IN_LIMITS;
}

/** Makes `limits`: the project's own limits, a row for each it set. */
export function createLimitsTable(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS limits (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
}

export class ProjectLimits {
  #sql: SqlStorage;
  #defaults: Limits;
  #overrides: Partial<Limits>;
  #effective: Limits;

  #ceilings: Ceilings;

  /** `ceilings`: the operator's (ceilings.ts); a default or a stored limit above one is held to it. */
  constructor(sql: SqlStorage, defaults: Limits, ceilings: Ceilings = DEFAULT_CEILINGS) {
    this.#sql = sql;
    this.#ceilings = ceilings;
    this.#defaults = this.#held(defaults);
    this.#overrides = {};
    for (const row of sql.exec<{ name: string; value: number }>("SELECT name, value FROM limits")) {
      if (Object.hasOwn(defaults, row.name)) this.#overrides[row.name as keyof Limits] = row.value;
    }
    this.#effective = this.#held({ ...this.#defaults, ...this.#overrides });
  }

  /** Limits held to the operator's ceilings. */
  #held(limits: Limits): Limits {
    const c = this.#ceilings;
    return {
      ...limits,
      databaseBytes: Math.min(limits.databaseBytes, c.databaseBytes),
      socketMessagesPerSecond: Math.min(limits.socketMessagesPerSecond, c.socketMessagesPerSecond),
      projectSocketMessagesPerSecond: Math.min(limits.projectSocketMessagesPerSecond, c.projectSocketMessagesPerSecond),
    };
  }

  /** Why a change cannot be made (a limit above the operator's ceiling), or null. */
  refusal(change: PutLimitsRequest): string | null {
    for (const name of ["databaseBytes", "socketMessagesPerSecond", "projectSocketMessagesPerSecond"] as const) {
      const value = change[name];
      if (typeof value === "number" && value > this.#ceilings[name]) {
        return `${name} ${value} is above the operator's ceiling of ${this.#ceilings[name]} (${ceilingName(name)})`;
      }
    }
    return null;
  }

  /** What the project runs with now. */
  get current(): Limits {
    return this.#effective;
  }

  describe(): LimitsResponse {
    return { limits: this.#effective, defaults: this.#defaults, overrides: { ...this.#overrides } };
  }

  /** Applies a change; says whether the app must restart to take it (a limit it is loaded with changed). */
  set(change: PutLimitsRequest): { restart: boolean; changed: (keyof Limits)[] } {
    const before = this.#effective;
    for (const [name, value] of Object.entries(change) as [keyof Limits, number | null | undefined][]) {
      if (value === undefined) continue;
      if (value === null) {
        delete this.#overrides[name];
        this.#sql.exec("DELETE FROM limits WHERE name = ?", name);
      } else {
        this.#overrides[name] = value;
        this.#sql.exec("INSERT OR REPLACE INTO limits (name, value) VALUES (?, ?)", name, value);
      }
    }
    this.#effective = this.#held({ ...this.#defaults, ...this.#overrides });
    const changed = (Object.keys(before) as (keyof Limits)[]).filter((k) => before[k] !== this.#effective[k]);
    return { restart: changed.some((k) => (LOADED_WITH as readonly string[]).includes(k)), changed };
  }

  /** A short key of the limits the app is loaded with, part of the loader's cache key. */
  loadedKey(): string {
    return LOADED_WITH.map((k) => this.#effective[k]).join("-");
  }
}
