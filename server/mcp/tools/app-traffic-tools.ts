import { routeTool, type ToolSpec } from "./tool-spec";

export const appTrafficTools: ToolSpec[] = [
  routeTool("request_app", "requestApp", {
    title: "Send a request to the app",
    description:
      'Sends an HTTP request to the app as a visitor would (counted and rate limited alike: past requestsPerMinute, a 429), to the live app or the draft. Answers status, headers, body (base64 if binary; cut at 64 KiB or 10 s of streaming, as `truncated` and `note` say), the version, `durationMs`, the lines this request logged (console output, exception and stack, outbound calls, a Worker project\'s object calls) and the `objects` it called. A 3xx is the answer (redirect "follow" follows same-origin ones). Later lines (timers, alarms, WebSockets) are in read_logs.',
    readOnly: false,
  }),
  routeTool("websocket_app", "websocketApp", {
    title: "Talk to the app over a WebSocket",
    description:
      "Opens a WebSocket to the app at `path` as a visitor would (live or draft), sends `send` in order, collects what the app sends until `expect` messages or `timeoutMs` (5 s; at most 30 s, 100 messages, 64 KiB), closes it, and answers `opened` (false with `status` and `body` when refused), `messages`, `closed` (the app's close, or null), `stopped` (why it ended) and the lines logged meanwhile. Two calls at once are two visitors.",
    readOnly: false,
  }),
  routeTool("read_logs", "readLogs", {
    title: "Read the app's logs",
    description:
      "The project's log lines, oldest first: requests (method, path, status, duration, version), console output, exceptions with stacks, deploys, rejected saves and notes. Without `since`, the latest `limit` lines; with `since` (the `cursor` a previous call returned), only the lines after it. `more` says more are waiting; `missed` counts lines the log no longer holds (it keeps 500). kind, object and target (live or draft) keep only the lines that match.",
    readOnly: true,
  }),
];
