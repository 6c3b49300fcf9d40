/**
 * The project's network policy as the supervisor keeps it (table `network_policy`, one row): the hosts
 * the app may call, the headers the gateway injects on calls to each, and the call limits. The
 * secrets its headers name are withheld from the app's env (the loader asks `withheld()`), so the
 * value reaches the remote host and nothing the app's code can read.
 */
import { type HostPattern, parseHostPattern } from "../../../shared/network/hosts";
import {
  NETWORK_CALL_LIMITS,
  type NetworkCallLimitName,
  NetworkPolicy,
  policySecrets,
} from "../../../shared/network/policy";

export function createNetworkTable(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS network_policy (id INTEGER PRIMARY KEY CHECK (id = 1), policy TEXT NOT NULL)");
}

const EMPTY: NetworkPolicy = { allow: [] };

/** An entry of the policy, read. */
export interface AllowedHost {
  pattern: HostPattern;
  /** Header name to template (`${NAME}` for a secret). */
  headers: Record<string, string>;
}

export type CallLimits = Record<NetworkCallLimitName, number>;

export class NetworkPolicies {
  #sql: SqlStorage;
  #cached: { policy: NetworkPolicy; entries: AllowedHost[]; withheld: ReadonlySet<string> } | null = null;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The policy as stored (a row that no longer reads as one counts as the empty policy). */
  get policy(): NetworkPolicy {
    return this.#read().policy;
  }

  /** Each entry, its host normalised, in the policy's order. */
  get entries(): readonly AllowedHost[] {
    return this.#read().entries;
  }

  /** The secrets the policy's headers name: the app's env goes without them. */
  withheld(): ReadonlySet<string> {
    return this.#read().withheld;
  }

  /** Every call limit, the defaults filled in. */
  limits(): CallLimits {
    const { policy } = this.#read();
    return {
      subrequestsPerMinute: policy.subrequestsPerMinute ?? NETWORK_CALL_LIMITS.subrequestsPerMinute.default,
      maxResponseBytes: policy.maxResponseBytes ?? NETWORK_CALL_LIMITS.maxResponseBytes.default,
      timeoutMs: policy.timeoutMs ?? NETWORK_CALL_LIMITS.timeoutMs.default,
    };
  }

  /** Replaces the policy (already validated against its schema). */
  set(policy: NetworkPolicy): void {
    this.#sql.exec("INSERT OR REPLACE INTO network_policy (id, policy) VALUES (1, ?)", JSON.stringify(policy));
    this.#cached = null;
  }

  #read() {
    if (this.#cached) return this.#cached;
    const row = this.#sql.exec<{ policy: string }>("SELECT policy FROM network_policy WHERE id = 1").toArray()[0];
    let policy = EMPTY;
    if (row) {
      try {
        const parsed = NetworkPolicy.safeParse(JSON.parse(row.policy));
        if (parsed.success) policy = parsed.data;
      } catch {
        // Unreadable JSON reads as no policy: nothing allowed, which is the safe side.
      }
    }
    const entries = policy.allow.flatMap((entry) => {
      const parsed = parseHostPattern(entry.host);
      return parsed.ok ? [{ pattern: parsed.pattern, headers: entry.headers ?? {} }] : [];
    });
    this.#cached = { policy, entries, withheld: new Set(policySecrets(policy)) };
    return this.#cached;
  }
}
