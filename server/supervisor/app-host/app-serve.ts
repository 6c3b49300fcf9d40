/**
 * Serving one request of an app's origin: through the swap gate, answered by a Worker project's
 * static assets or by the app (the App's facet, or a Worker project's Worker), logged with what the
 * app printed, and handed to the client with `x-app-version` once its body has passed through. An
 * exception becomes an error page and an exception line; a request a swap cut off becomes a 503.
 */
import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import { CALL_HEADER, HEADER_MAX_LINES, pathOf } from "../../app-runtime/protocol";
import type { GatePass, SwapGate } from "../versions/swap-gate";
import { appLogEntries, isThrownReport, linesOnResponse, readThrownReport, wholeBody } from "./app-channel";
import type { AppFacets } from "./app-facets";
import { cutOffResponse, forClient, withVersion } from "./app-responses";
import { type AppSource, versionHeader } from "./app-source";
import { serveAsset } from "./assets";
import { appErrorResponse, projectStack, type ThrownError, thrownError } from "./errors";
import type { RequestCalls, RequestObserver } from "./request-calls";

/** The parts of an AppHost a request goes through. */
export interface ServingParts {
  gate: SwapGate;
  source: AppSource;
  facets: AppFacets;
  calls: RequestCalls;
  /** Stores lines about this app (marked as the draft's for the draft) and hands back what it stored. */
  log(entries: NewLogEntry[]): LogEntry[];
  /** Whether an error page shows the exception and its stack (in development). */
  showErrors: boolean;
}

/**
 * Runs `request` on the app. `observe` gets the lines logged for this request (its request line,
 * what its fetch printed, its exception, a Worker project's calls to objects) as they are stored:
 * the API's request_app returns them.
 */
export async function serveRequest(
  parts: ServingParts,
  request: Request,
  observe?: RequestObserver,
): Promise<Response> {
  const { gate, source, facets } = parts;
  const log = (entries: NewLogEntry[]) => {
    const stored = parts.log(entries);
    observe?.lines(stored);
  };
  const path = pathOf(request.url);
  const pass = await gate.enter(`${request.method} ${path}`);
  let handedOff = false;
  try {
    // What runs now, read once on the way in: a request inside the gate runs on one version.
    const refusal = source.refusal();
    if (refusal) return refusal;
    const marks = source.marks();
    const { version } = marks;
    const header = versionHeader(marks);
    const config = source.config();
    const started = Date.now();
    const requestLine = (status: number, outcome: string): NewLogEntry => ({
      kind: "request",
      at: started,
      version,
      method: request.method,
      path,
      status,
      durationMs: Date.now() - started,
      outcome,
    });
    // A Worker project's static assets are answered before its Worker runs, as on Cloudflare.
    const assets = config?.assets;
    if (assets && !assets.runWorkerFirst) {
      const asset = serveAsset(source.files(), assets, request, { binding: false });
      if (asset) {
        log([requestLine(asset.status, "ok")]);
        return withVersion(asset, header);
      }
    }
    let cutBy: Error | null = null;
    pass.stage = "no response yet";
    pass.onCut = (reason) => {
      cutBy = reason;
    };
    let response: Response;
    try {
      response = await entry(parts, config === null, request, pass, observe);
    } catch (error) {
      if (cutBy) {
        // The swap that cut it off logs why; the client gets the same reason, not an app error.
        log([requestLine(503, "cut off")]);
        return withVersion(cutOffResponse(cutBy), header);
      }
      const line = requestLine(500, "exception");
      return thrown(parts, log, thrownError(error), request, [line], isStartFailure(error));
    }
    // The wrapper's marks carry this load's secret; a header without it is the app's own.
    const secret = await facets.channel();
    if (isThrownReport(response, secret)) {
      const report = await readThrownReport(response);
      const lines = appLogEntries(report.logs, version, HEADER_MAX_LINES) ?? [];
      return thrown(parts, log, report, request, [requestLine(500, "exception"), ...lines]);
    }
    let whole: Uint8Array | null = null;
    try {
      whole = await wholeBody(response, secret);
    } catch (error) {
      // The facet went away while its body was read (a swap's deadline, a restart).
      const reason = cutBy ?? (error instanceof Error ? error : new Error(String(error)));
      log([requestLine(503, "cut off")]);
      return withVersion(cutOffResponse(reason), header);
    }
    handedOff = true;
    log([
      requestLine(response.status, "ok"),
      ...(appLogEntries(linesOnResponse(response, secret), version, HEADER_MAX_LINES) ?? []),
    ]);
    if (response.webSocket && config === null) facets.holdsSockets(null);
    return forClient(response, header, pass, observe, whole);
  } finally {
    if (!handedOff) pass.release();
  }
}

/**
 * Where a request of the app's origin goes: the App's facet, or a Worker project's Worker (its
 * default export), told the call ID its calls to objects carry so they run as part of this request.
 */
function entry(
  parts: ServingParts,
  isApp: boolean,
  request: Request,
  pass: GatePass,
  observe: RequestObserver | undefined,
): Promise<Response> {
  // "manual": the app's 3xx is its answer, never followed here (a followed redirect would be served
  // as a new request to the app, or fetched from elsewhere).
  if (isApp) {
    const manual = request.redirect === "manual" ? request : new Request(request, { redirect: "manual" });
    return parts.facets.get().fetch(manual);
  }
  const headers = new Headers(request.headers);
  headers.set(CALL_HEADER, parts.calls.register(pass, observe));
  return parts.facets
    .worker()
    .getEntrypoint()
    .fetch(new Request(request, { headers, redirect: "manual" }));
}

/** Logs what the app threw (after `before`) and answers the error page. */
function thrown(
  parts: ServingParts,
  log: (entries: NewLogEntry[]) => void,
  error: ThrownError,
  request: Request,
  before: NewLogEntry[],
  startFailure = false,
): Response {
  const marks = parts.source.marks();
  // An error that crossed into the supervisor carries the supervisor's stack: only the app's frames stay.
  const shown = { ...error, stack: projectStack(error.stack, Object.keys(parts.source.files())) };
  log([
    ...before,
    {
      kind: "exception",
      at: Date.now(),
      version: marks.version,
      name: startFailure ? "StartupError" : error.name,
      message: error.message,
      stack: shown.stack,
    },
  ]);
  return withVersion(appErrorResponse(shown, request, parts.showErrors), versionHeader(marks));
}

function isStartFailure(error: unknown): boolean {
  return String(error).includes("Failed to start");
}
