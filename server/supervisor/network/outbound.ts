/**
 * The supervisor's side of the gateway (server/bridges/network-gateway.ts): for each outbound call of
 * the app it decides, under the project's policy, whether the call may go and with which injected
 * headers (`plan`), and it records what came of it (`done`): a terminal line, the meter's count, and
 * the last calls per host the Network tab shows. Tables: none (the policy's is network-policy.ts's).
 */
import { formatBytes } from "../../../shared/format";
import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import { type GatewayContext, judgeUrl } from "../../../shared/network/hosts";
import { type NetworkCall, NetworkCall as NetworkCallSchema, templateSecrets } from "../../../shared/network/policy";
import type { SupervisorStore } from "../versions/store";
import type { NetworkPolicies } from "./network-policy";

/** What the gateway does with a call: send it with these headers set, within these limits, or refuse it. */
export type GatewayPlan =
  | { ok: true; id: string; headers: Record<string, string>; maxResponseBytes: number; timeoutMs: number }
  | { ok: false; message: string };

/** Hosts whose last calls are kept, and calls kept per host. */
const RECENT_HOSTS = 50;
const RECENT_CALLS = 10;
/** Calls awaited for their report at most (one whose body is never read never reports). */
const MAX_PENDING = 1_000;
/** How long request_app waits for its request's calls to report once the app answered. */
const REPORT_WAIT_MS = 2_000;

export interface OutboundParts {
  policies: NetworkPolicies;
  store: SupervisorStore;
  /** Writes the app's lines (the draft's marked as such); hands back what it stored. */
  record: (entries: NewLogEntry[], draft: boolean) => LogEntry[];
  /** Apps are served under this domain (env.PREVIEW_DOMAIN). */
  previewDomain: string;
  /** Counts a call of the live app that went out (the draft's are not metered, as its requests are not). */
  meter: () => void;
}

/** Told of the app's outbound calls (Outbound.watch). */
export interface OutboundWatcher {
  outboundCall(call: NetworkCall, draft: boolean): void;
}

export class Outbound {
  #parts: OutboundParts;
  #minute = -1;
  #inMinute = 0;
  #recent = new Map<string, NetworkCall[]>();
  /** Listeners to the live app's call lines (request_app's, while its request runs), with the calls planned meanwhile. */
  #observers = new Map<(entries: LogEntry[]) => void, Promise<void>[]>();
  /** Told every call's outcome while a recorded request runs (requests/recorder.ts). */
  #watchers = new Set<OutboundWatcher>();
  /** Calls that went out and have not reported yet, by the ID their plan gave them. */
  #pending = new Map<string, () => void>();

  constructor(parts: OutboundParts) {
    this.#parts = parts;
  }

  /** Where a refusal tells the app's author to allow a host. */
  #where(): string {
    const id = this.#parts.store.project?.id ?? "<project>";
    return `in the IDE: Environment → Network; or PUT /api/projects/${id}/network, or the set_network tool`;
  }

  /**
   * The decision on a call of `method` to `url`. `ideHosts` are the origins the IDE's worker knows it
   * is served on. A refusal is recorded here; a call that goes is recorded by `done`.
   */
  plan(url: string, method: string, ideHosts: readonly string[], draft: boolean): GatewayPlan {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.#refuse({ url, method, draft }, `'${url}' is not a URL`);
    }
    const context: GatewayContext = { ideHosts, previewDomain: this.#parts.previewDomain };
    const { policies } = this.#parts;
    const verdict = judgeUrl(
      parsed,
      policies.entries.map((e) => e.pattern),
      context,
      this.#where(),
    );
    if (!verdict.allowed) return this.#refuse({ url, method, draft }, verdict.message);
    const limits = policies.limits();
    const minute = Math.floor(Date.now() / 60_000);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#inMinute = 0;
    }
    if (this.#inMinute >= limits.subrequestsPerMinute) {
      return this.#refuse(
        { url, method, draft },
        `Network call refused: the app made its ${limits.subrequestsPerMinute} outbound calls this minute (the network policy's subrequestsPerMinute)`,
      );
    }
    const headers = this.#injected(policies.entries[verdict.entry]?.headers ?? {});
    if (!headers.ok) return this.#refuse({ url, method, draft }, headers.message);
    this.#inMinute++;
    const id = crypto.randomUUID();
    if (this.#pending.size >= MAX_PENDING) this.#settleAll();
    const reported = new Promise<void>((resolve) => this.#pending.set(id, resolve));
    for (const calls of this.#observers.values()) calls.push(reported);
    return {
      ok: true,
      id,
      headers: headers.value,
      maxResponseBytes: limits.maxResponseBytes,
      timeoutMs: limits.timeoutMs,
    };
  }

  /** Records a call that went out (or failed on its way): its line, its count, its place in `recent`. */
  done(call: unknown, draft: boolean, id: string): void {
    this.#pending.get(id)?.();
    this.#pending.delete(id);
    const parsed = NetworkCallSchema.safeParse(call);
    if (!parsed.success) return;
    if (!draft) this.#parts.meter();
    this.#remember(parsed.data);
    this.#tell(parsed.data, draft);
    const { method, host, path, status, ms, bytes, error } = parsed.data;
    const outcome = error ? `failed after ${ms} ms: ${error}` : `${status} in ${ms} ms, ${formatBytes(bytes)}`;
    this.#line(`fetch ${method} ${host}${path} → ${outcome}`, error ? "warn" : "info", draft);
  }

  /**
   * Runs `run` with `observe` getting the live app's call lines written meanwhile: request_app's
   * answer carries the calls its request made (and any other request's made at the same moment,
   * which the gateway cannot tell apart: an outbound call carries no trace of its request).
   */
  async observing<T>(observe: (entries: LogEntry[]) => void, run: () => Promise<T>): Promise<T> {
    const calls: Promise<void>[] = [];
    this.#observers.set(observe, calls);
    try {
      const result = await run();
      // A call reports once the app has read its body, which may be after the app answered.
      if (calls.length > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, REPORT_WAIT_MS);
        });
        await Promise.race([Promise.all(calls), late]);
        clearTimeout(timer);
      }
      return result;
    } finally {
      this.#observers.delete(observe);
    }
  }

  /**
   * Tells `listener` of each call made (or refused) until the returned function is called; the
   * recorder's way to a request's outbound calls, which, like observing's, include any other
   * request's made at the same moment.
   */
  watch(listener: OutboundWatcher): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  #tell(call: NetworkCall, draft: boolean): void {
    for (const listener of this.#watchers) listener.outboundCall(call, draft);
  }

  #settleAll(): void {
    for (const settle of this.#pending.values()) settle();
    this.#pending.clear();
  }

  /** The last calls per host, the most recently called host first. */
  recent(): { host: string; calls: NetworkCall[] }[] {
    return [...this.#recent].reverse().map(([host, calls]) => ({ host, calls: [...calls].reverse() }));
  }

  #refuse({ url, method, draft }: { url: string; method: string; draft: boolean }, message: string): GatewayPlan {
    let host = url;
    let path = "";
    try {
      const parsed = new URL(url);
      host = parsed.host;
      path = parsed.pathname;
    } catch {
      // Shown as given.
    }
    const call = { at: Date.now(), method, host, path, status: null, ms: 0, bytes: 0, error: message };
    this.#remember(call);
    this.#tell(call, draft);
    this.#line(`fetch ${method} ${host}${path} refused: ${message}`, "warn", draft);
    return { ok: false, message };
  }

  /** The entry's headers with their secrets filled in, or why they cannot be. */
  #injected(
    templates: Record<string, string>,
  ): { ok: true; value: Record<string, string> } | { ok: false; message: string } {
    const { store } = this.#parts;
    const values = store.appEnv().values;
    const secrets = new Set(store.listEnv().flatMap((v) => (v.secret ? [v.name] : [])));
    const out: Record<string, string> = {};
    for (const [name, template] of Object.entries(templates)) {
      const read = templateSecrets(template);
      if (!read.ok) return { ok: false, message: `the network policy's header ${name}: ${read.message}` };
      const missing = read.names.find((n) => !secrets.has(n) || !values[n]);
      if (missing !== undefined) {
        return {
          ok: false,
          message: `Network call refused: the network policy's header ${name} names the secret ${missing}, which the project does not have or is empty (set it in Environment)`,
        };
      }
      const value = template.replace(/\$\{([^}]*)\}/g, (_, n: string) => values[n] ?? "");
      if (/[\r\n\0]/.test(value)) {
        return { ok: false, message: `Network call refused: a secret in header ${name} holds a line break` };
      }
      out[name] = value;
    }
    return { ok: true, value: out };
  }

  #remember(call: NetworkCall): void {
    const calls = this.#recent.get(call.host) ?? [];
    this.#recent.delete(call.host);
    calls.push(call);
    if (calls.length > RECENT_CALLS) calls.shift();
    this.#recent.set(call.host, calls);
    if (this.#recent.size > RECENT_HOSTS) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
  }

  #line(message: string, level: "info" | "warn", draft: boolean): void {
    const version = this.#parts.store.project?.currentVersion ?? null;
    const stored = this.#parts.record([{ kind: "system", level, at: Date.now(), version, message }], draft);
    if (!draft) for (const observe of this.#observers.keys()) observe(stored);
  }
}
