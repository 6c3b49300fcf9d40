/**
 * Traffic an API client sends to the app (request_app, websocket_app) as a visitor's: to the live
 * app or the draft, admitted by the project's requests-a-minute limit first (a 429 is the answer,
 * counted once, as a visitor's is), then served through the app host like any request.
 * Tables: none.
 */
import type { AppRequest, AppResponse, AppTarget } from "../../../shared/api";
import type { WebSocketAppRequest, WebSocketAppResponse } from "../../../shared/app-sockets";
import type { LogEntry } from "../../../shared/logs";
import { failure, type Outcome } from "../../outcome";
import type { AppHost } from "../app-host/app-host";
import { sendToApp, type Visit } from "../app-host/app-requests";
import { socketToApp } from "../app-host/app-sockets";
import type { LogRing } from "../console/log-ring";
import type { Metering } from "../metering/metering";
import type { Outbound } from "../network/outbound";

/** The app's two origins (the worker knows them): the live one and the draft's. */
export interface AppOrigins {
  live: string;
  draft: string;
}

export interface TrafficParts {
  app: AppHost;
  draftApp: AppHost;
  drafts: { readonly exists: boolean };
  metering: Pick<Metering, "admit">;
  logs: Pick<LogRing, "read">;
  /** The app's outbound calls during a request are part of its lines (network/outbound.ts). */
  network: { outbound: Pick<Outbound, "observing"> };
}

/** Lines of the log ring one read takes when a socket's answer gathers what its app logged meanwhile. */
const LINES_READ = 500;

export class AppTraffic {
  #parts: TrafficParts;

  constructor(parts: TrafficParts) {
    this.#parts = parts;
  }

  request(origins: AppOrigins, request: AppRequest): Promise<Outcome<AppResponse>> | Outcome<AppResponse> {
    const target = request.target ?? "live";
    const visit = this.#visit(target);
    return visit ? sendToApp(origins[target], request, visit) : noDraft();
  }

  socket(origins: AppOrigins, request: WebSocketAppRequest): Promise<Outcome<WebSocketAppResponse>> | Outcome<never> {
    const target = request.target ?? "live";
    const visit = this.#visit(target);
    if (!visit) return noDraft();
    const { logs } = this.#parts;
    const cursor = logs.read(undefined, 1).cursor;
    const later = (): LogEntry[] =>
      logs.read(cursor, LINES_READ).entries.filter((line) => (line.draft !== undefined) === (target === "draft"));
    return socketToApp(origins[target], request, visit, later);
  }

  /** How a request reaches `target` as a visitor's would; null when it is the draft and there is none. */
  #visit(target: AppTarget): Visit | null {
    const { app, draftApp, drafts, metering, network } = this.#parts;
    const draft = target === "draft";
    if (draft && !drafts.exists) return null;
    const host = draft ? draftApp : app;
    return async (request, observe) =>
      metering.admit(draft) ??
      network.outbound.observing(
        (entries) => observe.lines(entries),
        () => host.serve(request, observe),
      );
  }
}

function noDraft(): Outcome<never> {
  return failure(
    "not_found",
    'This project has no draft, so target "draft" has nothing to reach: write_draft (PUT /api/projects/:id/draft/code) makes one on a copy of the live data',
  );
}
