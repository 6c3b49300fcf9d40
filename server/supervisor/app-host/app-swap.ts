/**
 * Swapping what an app runs: waits for the requests in flight (up to the drain deadline), cuts off
 * what is still running then, closes the WebSockets the app holds (1012, with the reason), takes
 * what the app's meter counted last, stops every facet, and lets the caller change the database on
 * the way (SwapData). Saves, restores, variable and limit changes, resets and a discarded draft all
 * swap this way.
 */
import type { NewLogEntry } from "../../../shared/logs";
import { CLOSE_SOCKETS_METHOD, METER_METHOD } from "../../app-runtime/protocol";
import { cutOffError, cutOffMessage, type SwapGate } from "../versions/swap-gate";
import { within } from "./app-channel";
import type { AppFacets } from "./app-facets";
import type { AppStub } from "./app-stub";

/** Close code for sockets the app held when its code was replaced: "Service Restart" (RFC 6455 registry). */
const SWAP_CLOSE_CODE = 1012;
/** How long a swap waits for the app to close its sockets (its code may never answer). */
const CLOSE_SOCKETS_TIMEOUT_MS = 2_000;
/** How long the supervisor waits for the app's meter to answer (its code may keep the isolate busy). */
const METER_TIMEOUT_MS = 2_000;

/** What a swap does to the database besides restarting the facet (see `swapApp`). */
export interface SwapData {
  /** Runs while the gate is closed and the old instance still stands (a snapshot of it, say). */
  beforeAbort?: () => Promise<void> | void;
  /** Runs once the old instance is gone, before the new one starts (replacing the database, say). */
  afterAbort?: () => Promise<void> | void;
}

/** The parts of an AppHost a swap works on. */
export interface SwapParts {
  gate: SwapGate;
  facets: AppFacets;
  drainDeadlineMs: number;
  /** Takes what the app's meter reports before the app stops (the live app's; null for the draft). */
  meterReport: ((report: unknown) => void) | null;
  log(entries: NewLogEntry[]): void;
}

/**
 * Makes what the store holds now (a new version, or new env vars) live: waits for requests in
 * flight (up to the drain deadline), cuts off what is still running then, and restarts the facet.
 * `data` changes the database on the way, while nothing runs (see SwapData).
 */
export async function swapApp(parts: SwapParts, version: number | null, reason: string, data: SwapData): Promise<void> {
  const { gate, facets, meterReport } = parts;
  let socketsClosed = 0;
  const deadline = parts.drainDeadlineMs;
  const { cutOff } = await gate.swap(deadline, async (cutOff) => {
    // Before the abort: a body cut by the abort itself could end as if it were complete.
    for (const pass of cutOff) pass.onCut?.(cutOffError(pass, deadline, reason));
    // Every running facet: the App's, or each object of a Worker project. The app's code may never
    // answer (or answer nonsense): the swap goes on regardless.
    const running = facets.running();
    const closed = await Promise.all(
      running
        .filter((r) => r.holdsSockets)
        .map((r) => {
          const closing = facets
            .get(r.ref)
            [CLOSE_SOCKETS_METHOD](SWAP_CLOSE_CODE, reason.slice(0, 120))
            .then((n) => (typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : 0))
            .catch(() => 0);
          return within(closing, CLOSE_SOCKETS_TIMEOUT_MS, () => 0);
        }),
    );
    socketsClosed = closed.reduce((sum, n) => sum + n, 0);
    // What the app's meter counted since its last report would go with the instance.
    if (meterReport) {
      const reports = await Promise.all(running.map((r) => readMeter(facets.get(r.ref))));
      for (const report of reports) meterReport(report);
    }
    try {
      await data.beforeAbort?.();
    } finally {
      facets.stopAll(reason);
    }
    await data.afterAbort?.();
  });
  if (socketsClosed > 0) {
    parts.log([
      {
        kind: "system",
        level: "info",
        at: Date.now(),
        version,
        message: `closed ${socketsClosed} WebSocket(s) the app held with ${SWAP_CLOSE_CODE} "${reason}"`,
      },
    ]);
  }
  if (cutOff.length > 0) {
    parts.log([
      { kind: "system", level: "warn", at: Date.now(), version, message: cutOffMessage(cutOff, deadline, reason) },
    ]);
  }
}

/** What the app's meter counted since its last report (null when it does not answer in time). */
export function readMeter(app: AppStub): Promise<unknown> {
  return within(
    app[METER_METHOD]().catch(() => null),
    METER_TIMEOUT_MS,
    () => null,
  );
}
