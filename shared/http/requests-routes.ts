/**
 * The route table's part for recorded requests (routes.ts spreads it in): the list, one request,
 * replaying one on the live app or the draft, the replay report on the draft, and the settings.
 */
import { ProjectParams } from "../api";
import {
  PutRequestSettings,
  RecordedRequest,
  ReplayManyRequest,
  ReplayOneRequest,
  ReplayOneResponse,
  ReplayReport,
  RequestParams,
  RequestSettings,
  RequestsQuery,
  RequestsResponse,
} from "../requests";
import type { RouteTable } from "./route-spec";

export const requestsRoutes = {
  listRequests: {
    method: "get",
    path: "/api/projects/{id}/requests",
    summary:
      "The requests the app's origins served (live and draft), newest first, redacted: time, method, path, status, duration, version, exception; filtered by ?status=404|5xx|error, ?path= (contains), ?method=; and the recording settings",
    auth: "project",
    params: ProjectParams,
    query: RequestsQuery,
    status: 200,
    response: RequestsResponse,
  },
  getRequest: {
    method: "get",
    path: "/api/projects/{id}/requests/{rid}",
    summary:
      "One recorded request: its headers and body (first 64 KiB; base64 when binary), the response's, the log lines it wrote, its exception, the objects it called and which headers were redacted",
    auth: "project",
    params: RequestParams,
    status: 200,
    errors: { 404: "No such recorded request" },
    response: RecordedRequest,
  },
  replayRequest: {
    method: "post",
    path: "/api/projects/{id}/requests/{rid}/replay",
    summary:
      'Sends a recorded request again to the live app or the draft ({"target": "live"|"draft"}) and answers the new answer beside the recorded one: what changed (status, body, exception) and a line diff of the bodies',
    auth: "project",
    params: RequestParams,
    body: ReplayOneRequest,
    status: 200,
    errors: { 404: "No such recorded request, or no draft" },
    response: ReplayOneResponse,
  },
  replayRequests: {
    method: "post",
    path: "/api/projects/{id}/requests/replay",
    summary:
      "Sends the last recorded live requests (last: 20 by default; methods: only those) again, in order, to the draft on its copy of the data, and reports for each whether it answers the same or changed (status, body, new exception), which failures it fixed or caused, and totals. WebSocket sessions are listed, not replayed",
    auth: "project",
    params: ProjectParams,
    body: ReplayManyRequest,
    status: 200,
    errors: { 404: "The project has no draft" },
    response: ReplayReport,
  },
  putRequestSettings: {
    method: "put",
    path: "/api/projects/{id}/requests/settings",
    summary: "Turns recording on or off and sets how many requests are kept (200 by default)",
    auth: "project",
    params: ProjectParams,
    body: PutRequestSettings,
    status: 200,
    response: RequestSettings,
  },
} as const satisfies RouteTable;
