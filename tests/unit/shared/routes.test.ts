import { describe, expect, it } from "vitest";
import { z } from "zod";
import { matchRoute, type RouteName, type RouteSpec, routes } from "../../../shared/http/routes";

const table = Object.entries(routes) as [RouteName, RouteSpec][];

describe("the route table", () => {
  it("names each method and path once, and each path parameter in its params schema", () => {
    const keys = table.map(([, spec]) => `${spec.method} ${spec.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [name, spec] of table) {
      const inPath = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = Object.keys(spec.params?.shape ?? {}).sort();
      expect(declared, name).toEqual(inPath);
      if (spec.auth === "project") expect(inPath, name).toContain("id");
    }
  });

  it("turns every schema into JSON Schema, so an API document and tool schemas can be generated", () => {
    for (const [name, spec] of table) {
      const schemas = [spec.params, spec.query, spec.body, spec.response, spec.messages?.client, spec.messages?.server];
      for (const schema of schemas) {
        if (!schema) continue;
        const json = z.toJSONSchema(schema, { io: schema === spec.response ? "output" : "input" });
        expect(json, name).toHaveProperty("$schema");
      }
    }
    // A query parameter's choices and default reach the document too.
    const query = z.toJSONSchema(routes.getMetrics.query, { io: "input" });
    expect(query).toMatchObject({ properties: { window: { enum: ["1h", "24h", "30d"], default: "1h" } } });
    const body = z.toJSONSchema(routes.putCode.body, { io: "input" });
    expect(body).toMatchObject({ type: "object", required: ["files"], additionalProperties: false });
  });

  it("matches a request to its route and parameters", () => {
    for (const [name, spec] of table) {
      const path = spec.path.replace(/\{(\w+)\}/g, (_, p: string) => (p === "version" ? "3" : `my-${p}`));
      expect(matchRoute(spec.method.toUpperCase(), path)?.name, path).toBe(name);
    }
    expect(matchRoute("GET", "/api/projects/demo/versions/3")).toEqual({
      name: "getVersion",
      params: { id: "demo", version: "3" },
    });
    expect(matchRoute("PATCH", "/api/projects/demo")).toBeNull();
    expect(matchRoute("GET", "/api/projects//code")).toBeNull();
  });
});
