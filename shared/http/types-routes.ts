/**
 * The route table's part for the editor's types: the declaration files of a project's packages
 * (routes.ts spreads it in).
 */
import { ProjectParams } from "../api";
import { TypesResponse } from "../type-check";
import type { RouteTable } from "./route-spec";

export const typesRoutes = {
  getTypes: {
    method: "get",
    path: "/api/projects/{id}/types",
    summary: "The declaration files of the live version's packages, keyed node_modules/<name>/<path>, for an editor",
    auth: "project",
    params: ProjectParams,
    status: 200,
    response: TypesResponse,
  },
} as const satisfies RouteTable;
