import { routeTool, type ToolSpec } from "./tool-spec";

export const appTrafficTools: ToolSpec[] = [
  routeTool("request_app", "requestApp", {
    title: "Send a request to the app",
    description:
      'Sends an HTTP request to the app as a visitor on its origin would (target "draft": to the draft, on its copy of the data), and returns the status, headers, body (text, or base64 when binary; cut at 64 KiB or after 10 s of streaming, which `truncated` and `note` say), the version that answered, `durationMs`, the log lines this request wrote (its request line, what it printed with console.*, its exception with the stack, and a Worker project\'s calls to its objects) and, for a Worker project, the `objects` it called. A 3xx is the answer with its Location (redirect "manual", the default); redirect "follow" follows redirects to the app\'s own origin only. It counts and is limited as a visitor\'s request: past the project\'s requestsPerMinute the answer is a 429 with Retry-After. Lines printed later (after the response, by timers, alarms or WebSockets) are in read_logs.',
    readOnly: false,
  }),
  routeTool("websocket_app", "websocketApp", {
    title: "Talk to the app over a WebSocket",
    description:
      'Opens a WebSocket to the app at `path` as a visitor would (target "draft": the draft\'s), sends the `send` messages in order, collects what the app sends until `expect` messages arrived or `timeoutMs` passed (5 s by default, 30 s at most; 100 messages and 64 KiB at most), closes it, and returns `opened` (false with the `status` and `body` when the app refused the upgrade, or a 429 past requestsPerMinute), the `messages`, `closed` (how the app closed it, or null), `stopped` (why collecting ended) and the console lines and exceptions the app logged meanwhile. Two calls at once are two visitors: one can wait with `expect` while the other sends.',
    readOnly: false,
  }),
  routeTool("read_logs", "readLogs", {
    title: "Read the app's logs",
    description:
      "The project's log lines, oldest first: requests (method, path, status, duration, version), console output, exceptions with stacks, deploys, rejected saves and notes. Without `since`, the latest `limit` lines; with `since` (the `cursor` a previous call returned), only the lines after it. `more` says more are waiting; `missed` counts lines the log no longer holds (it keeps 500). kind, object and target (live or draft) keep only the lines that match.",
    readOnly: true,
  }),
];
