/**
 * The route table's part for the app's network (routes.ts spreads it in): the policy the gateway
 * applies to every outbound call the app makes (server/bridges/network-gateway.ts).
 */
import { ProjectParams } from "../api";
import { NetworkPolicy, NetworkResponse } from "../network/policy";
import type { RouteTable } from "./route-spec";

export const networkRoutes = {
  getNetwork: {
    method: "get",
    path: "/api/projects/{id}/network",
    summary: `The app's network policy: the hosts its fetch() may reach (nothing else is), the headers the gateway injects on calls to each ($\{NAME} names a secret the app never sees), the call limits, and the last calls per host`,
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: NetworkResponse,
  },
  putNetwork: {
    method: "put",
    path: "/api/projects/{id}/network",
    summary: `Replaces the app's network policy: {allow: [{host, headers?}], subrequestsPerMinute?, maxResponseBytes?, timeoutMs?}; a header's $\{NAME} must name one of the project's secrets. The app restarts on its current version (data kept)`,
    auth: "project",
    params: ProjectParams,
    body: NetworkPolicy,
    status: 200,
    response: NetworkResponse,
  },
} as const satisfies RouteTable;
