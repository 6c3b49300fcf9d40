/**
 * Cooldowns after a freeze: once the launcher blamed this project for freezing (or crashing) the
 * runtime, the way it did so is refused for a while, so that one project cannot take the runtime down
 * again and again while the others wait (docs/limits-and-safety.md states the guarantee).
 *
 * - `code`: the project's code froze it (a request, a listener, a timer, a save's probe, the draft):
 *   saves are refused (new code, the same code again, a draft save, a restore, a promotion), since the
 *   code that froze it is marked hung and only a save runs code again.
 * - `sql`: the SQL console froze it (a statement that does not end, also from the Data view): the
 *   project's console and Data view queries are refused.
 *
 * Whichever way it froze the runtime, while a cooldown runs all of those are refused (and the draft
 * does not run: draft-source.ts), so the project has one way left to freeze it again in that time:
 * its live app, when its console (not its code) was blamed. The first freeze costs 1 minute; each one
 * within an hour of the last cooldown's end doubles it, up to 10 minutes. Kept in the supervisor's own table (made on first use, so only ever under the launcher,
 * which alone gives verdicts), and read once per supervisor.
 */
import { type Failure, failure } from "../../outcome";

export type CooldownKind = "code" | "sql";

/**
 * A minute, so that one project freezes the runtime at most once a minute (each freeze costs the
 * others about 4 s: at least 90 % of a minute stays theirs).
 */
export const COOLDOWN_FIRST_MS = 60_000;
export const COOLDOWN_MAX_MS = 10 * 60_000;
/** A freeze this long after the last cooldown ended starts again at the first cooldown. */
export const STRIKES_FORGOTTEN_AFTER_MS = 60 * 60_000;

/** One kind's state: how many freezes in a row, and until when it is refused. */
export interface Cooldown {
  strikes: number;
  until: number;
}

/** How long the `strikes`-th freeze in a row is refused: 1 minute, doubling, at most 10 minutes. Pure. */
export function cooldownMs(strikes: number): number {
  const n = Math.max(1, Math.floor(strikes));
  return n > 20 ? COOLDOWN_MAX_MS : Math.min(COOLDOWN_FIRST_MS * 2 ** (n - 1), COOLDOWN_MAX_MS);
}

/** The cooldown after a freeze at `at`, given the one before (if any). Pure. */
export function nextCooldown(previous: Cooldown | null, at: number): Cooldown {
  const strikes = previous && at - previous.until < STRIKES_FORGOTTEN_AFTER_MS ? previous.strikes + 1 : 1;
  // A verdict recorded late never shortens a cooldown still running.
  const until = Math.max(at + cooldownMs(strikes), previous?.until ?? 0);
  return { strikes, until };
}

/** What is refused, with its verb: the SQL console's refusal names two things. */
const WHAT: Record<CooldownKind, string> = {
  code: "Saving code (a save, the draft, a restore or a promotion) is",
  sql: "The SQL console and the Data view are",
};
const WHY: Record<CooldownKind, string> = {
  code: "its code froze the runtime",
  sql: "its SQL console's statement froze the runtime",
};

/** What a refusal says: what is refused, why (`cause`: what froze the runtime), and when it is allowed again. Pure. */
export function cooldownMessage(
  what: CooldownKind,
  cooldown: Cooldown,
  now: number,
  cause: CooldownKind = what,
): string {
  const seconds = Math.max(1, Math.ceil((cooldown.until - now) / 1000));
  const times = cooldown.strikes === 1 ? "" : ` (${cooldown.strikes} times in a row)`;
  return `${WHAT[what]} refused for this project until ${new Date(cooldown.until).toISOString()} (in ${seconds} s): ${WHY[cause]}${times}, and the other projects run meanwhile.`;
}

/** The draft's answer while the project cools down (it runs code too). */
export function cooldownResponse(cooldown: Cooldown & { kind: CooldownKind }, now = Date.now()): Response {
  const seconds = Math.max(1, Math.ceil((cooldown.until - now) / 1000));
  return new Response(
    `The draft of this app does not run until ${new Date(cooldown.until).toISOString()} (in ${seconds} s): ${WHY[cooldown.kind]}.\n`,
    { status: 503, headers: { "content-type": "text/plain; charset=utf-8", "retry-after": String(seconds) } },
  );
}

const TABLE = `CREATE TABLE IF NOT EXISTS launcher_cooldowns (
  kind TEXT PRIMARY KEY,
  strikes INTEGER NOT NULL,
  until INTEGER NOT NULL
)`;

export class Cooldowns {
  #sql: SqlStorage;
  /** Read on first use; written through. */
  #state: Map<CooldownKind, Cooldown> | null = null;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  #read(): Map<CooldownKind, Cooldown> {
    if (this.#state) return this.#state;
    const state = new Map<CooldownKind, Cooldown>();
    const made = this.#sql
      .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'launcher_cooldowns'")
      .toArray();
    if (made.length > 0) {
      for (const row of this.#sql.exec<{ kind: string; strikes: number; until: number }>(
        "SELECT kind, strikes, until FROM launcher_cooldowns",
      )) {
        if (row.kind === "code" || row.kind === "sql") state.set(row.kind, { strikes: row.strikes, until: row.until });
      }
    }
    this.#state = state;
    return state;
  }

  /** Records a freeze of `kind` at `at`; returns the cooldown it starts. */
  strike(kind: CooldownKind, at: number): Cooldown {
    const state = this.#read();
    const next = nextCooldown(state.get(kind) ?? null, at);
    this.#sql.exec(TABLE);
    this.#sql.exec(
      "INSERT INTO launcher_cooldowns (kind, strikes, until) VALUES (?, ?, ?) ON CONFLICT (kind) DO UPDATE SET strikes = excluded.strikes, until = excluded.until",
      kind,
      next.strikes,
      next.until,
    );
    state.set(kind, next);
    return next;
  }

  /** The cooldown running at `now` (of either kind: the one that ends last, with its kind), or null. */
  running(now = Date.now()): (Cooldown & { kind: CooldownKind }) | null {
    let found: (Cooldown & { kind: CooldownKind }) | null = null;
    for (const [kind, cooldown] of this.#read()) {
      if (cooldown.until > now && (!found || cooldown.until > found.until)) found = { ...cooldown, kind };
    }
    return found;
  }

  /** A 429 refusal of `what` (saving code, or the console and Data view) while the project cools down, else null. */
  refusal(what: CooldownKind, now = Date.now()): Failure | null {
    const cooldown = this.running(now);
    return cooldown ? failure("cooling_down", cooldownMessage(what, cooldown, now, cooldown.kind)) : null;
  }
}
