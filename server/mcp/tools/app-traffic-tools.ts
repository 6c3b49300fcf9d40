import { routeTool, type ToolSpec } from "./tool-spec";

export const appTrafficTools: ToolSpec[] = [
  routeTool("request_app", "requestApp", {
    title: "Send a request to the app",
    description:
      "Sends an HTTP request to the app, as a browser on its origin would, and returns the status, headers, body (text, or base64 when binary; cut at 64 KiB or after 10 s of streaming, which `truncated` and `note` say), the version that answered, the duration, and the log lines this request wrote: its request line, what its fetch printed with console.*, and its exception with the stack if it threw. Lines printed later (after the response, by timers, alarms or WebSockets) are in read_logs.",
    readOnly: false,
  }),
  routeTool("read_logs", "readLogs", {
    title: "Read the app's logs",
    description:
      "The project's log lines, oldest first: requests (method, path, status, duration, version), console output, exceptions with stacks, deploys, rejected saves and notes. Without `since`, the latest `limit` lines; with `since` (the `cursor` a previous call returned), only the lines after it. `more` says more are waiting; `missed` counts lines the log no longer holds (it keeps 500). kind, object and target (live or draft) keep only the lines that match.",
    readOnly: true,
  }),
];
