/**
 * An opened project's recorded requests (project-handle.ts calls these): the list with the recording
 * settings, and their replay (requests/replay.ts), which sends them the way an API client's requests
 * to the app go (app-traffic.ts).
 * Tables: none (`requests` and `request_settings` are requests/', request-table.ts).
 */
import type { RequestsQuery, RequestsResponse } from "../../../shared/requests";
import { type Outcome, success } from "../../outcome";
import { RequestReplay } from "../requests/replay";
import { type AppOrigins, AppTraffic } from "./app-traffic";
import type { ProjectParts } from "./project-parts";

export function listRequests(
  { requests }: Pick<ProjectParts, "requests">,
  query: RequestsQuery,
): Outcome<RequestsResponse> {
  return success({ requests: requests.list(query), settings: requests.settings });
}

/** Replays recorded requests to the app at `origins`, redacting what the recorder redacts. */
export function requestReplay(parts: ProjectParts, origins: AppOrigins): RequestReplay {
  const traffic = new AppTraffic(parts);
  const { requests, recorder } = parts;
  return new RequestReplay(
    requests,
    (request) => traffic.request(origins, request),
    () => recorder.needles(),
  );
}
