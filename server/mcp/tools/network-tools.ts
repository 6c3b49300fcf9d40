import { routeTool, type ToolSpec } from "./tool-spec";

/** How a policy's header names a secret (a template string would expand it). */
const SECRET = (name: string) => `$\{${name}}`;

export const networkTools: ToolSpec[] = [
  routeTool("get_network", "getNetwork", {
    title: "Get the app's network policy",
    description: `The hosts the app's fetch() may reach (nothing else is: a call elsewhere throws an error naming the host), the headers the gateway injects on calls to each (${SECRET("NAME")} stands for the project's secret NAME, whose value the app never sees), the call limits (subrequestsPerMinute, maxResponseBytes, timeoutMs), and the last calls to each host with their status.`,
    readOnly: true,
  }),
  routeTool("set_network", "putNetwork", {
    title: "Set the app's network policy",
    description: `Replaces the network policy: {allow: [{host, headers?}], subrequestsPerMinute?, maxResponseBytes?, timeoutMs?}. host is api.example.com, *.example.com (any name under it) or, for a local API, an address with its port (127.0.0.1:8787); without a port it means 443 for https and 80 for http. headers are set by the gateway on calls to that host: write {"Authorization": "Bearer ${SECRET("OPENAI_KEY")}"} after set_env with secret: true; the secret then leaves the app's env. The IDE itself, preview origins and metadata addresses are never reachable. Give the whole list each time (it replaces the previous one).`,
    readOnly: false,
  }),
];
