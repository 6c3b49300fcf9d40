/**
 * Neither the MCP tools nor the OpenAPI document may fall behind the route table: every route has a
 * tool (or is listed, with its reason, in ROUTES_WITHOUT_TOOLS) and an OpenAPI operation, and each
 * tool takes what its route takes.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openApiDocument } from "../../../../server/api/openapi";
import { ROUTES_WITHOUT_TOOLS, tools } from "../../../../server/mcp/tools";
import { type RouteName, type RouteSpec, routes } from "../../../../shared/http/routes";

const table = Object.entries(routes) as [RouteName, RouteSpec][];

describe("every route of the table", () => {
  it("has an MCP tool, or a stated reason why not", () => {
    const covered = new Set(tools.flatMap((t) => t.routes));
    for (const [name] of table) {
      const excluded = ROUTES_WITHOUT_TOOLS[name] !== undefined;
      expect(covered.has(name) || excluded, `${name} has no tool and no reason`).toBe(true);
      expect(covered.has(name) && excluded, `${name} has a tool and is excluded`).toBe(false);
    }
    for (const name of Object.keys(ROUTES_WITHOUT_TOOLS)) expect(routes).toHaveProperty(name);
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
  });

  it("is an operation of the OpenAPI document, with its answers and auth", () => {
    const document = openApiDocument("http://localhost:5173");
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.values(document.paths).flatMap((p) => Object.values(p)) as {
      operationId: string;
      responses: Record<string, unknown>;
      security: unknown[];
    }[];
    expect(operations.map((o) => o.operationId).sort()).toEqual(table.map(([name]) => name).sort());
    for (const [name, spec] of table) {
      const operation = (document.paths[spec.path] as Record<string, (typeof operations)[number]>)[spec.method];
      expect(operation?.operationId).toBe(name);
      expect(Object.keys(operation?.responses ?? {}), name).toContain(String(spec.status));
      if (spec.auth === "project") {
        expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(["401", "403", "404"]));
        expect(operation?.security).toEqual([{ bearer: [] }]);
      }
      if (spec.auth === "none") expect(operation?.security).toEqual([]);
    }
  });

  it("a tool takes its route's fields, with `project` for the project's id", () => {
    for (const tool of tools.filter((t) => t.routes.length === 1)) {
      const spec: RouteSpec = routes[tool.routes[0] as RouteName];
      const keys = (s: z.ZodType | undefined) =>
        s ? Object.keys((z.toJSONSchema(s, { io: "input" }) as { properties?: object }).properties ?? {}) : [];
      const body = tool.bodyAs
        ? [tool.bodyAs.argument, ...keys(spec.body).filter((f) => tool.bodyAs?.alongside.includes(f))]
        : keys(spec.body);
      const fields = [...keys(spec.params), ...keys(spec.query), ...body];
      const expected = [...fields.map((f) => (f === "id" ? "project" : f)), ...(tool.answerOptions ?? [])].sort();
      const input = z.toJSONSchema(tool.input, { io: "input" }) as { properties: object };
      expect(Object.keys(input.properties).sort(), tool.name).toEqual(expected);
      // A tool that shortens its answer declares the shortened one.
      if (!tool.answerOptions) expect(tool.output, tool.name).toBe(spec.response);
    }
  });
});
