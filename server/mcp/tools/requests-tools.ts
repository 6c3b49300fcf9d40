import { routeTool, type ToolSpec } from "./tool-spec";

export const requestsTools: ToolSpec[] = [
  routeTool("list_requests", "listRequests", {
    title: "List the requests the app served",
    description:
      "The requests visitors sent to the app's origins (live and draft), newest first, as recorded (the last 200 by default; Authorization, Cookie, Set-Cookie and secret values redacted): id, time, method, path, status, duration, version, exception. Filter by status (404, 5xx, or error for those that threw), path (contains) or method.",
    readOnly: true,
  }),
  routeTool("get_request", "getRequest", {
    title: "Read one recorded request",
    description:
      "One recorded request by id (list_requests gives it): its headers and body, the response's headers and body (first 64 KiB each; base64 when binary), the log lines it wrote, its exception, and a Worker project's objects it called.",
    readOnly: true,
  }),
  routeTool("replay_requests", "replayRequests", {
    title: "Replay recent traffic on the draft",
    description:
      "Before promote_draft: sends the last recorded live requests (last, 20 by default; methods to pick) again, in order, to the draft on its copy of the data (live data is never touched), and reports for each whether the answer is the same or changed (status, body, a new exception), which failures the draft fixed or caused, and totals. Answers that depend on time or randomness show as changed; WebSocket sessions are not replayed.",
    readOnly: false,
  }),
];
