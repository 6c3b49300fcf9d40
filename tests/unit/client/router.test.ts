import { expect, it } from "vitest";
import { parseRoute, projectPath } from "../../../client/lib/router";

it("the IDE's two pages, and anything else is missing", () => {
  expect(parseRoute("/")).toEqual({ page: "home" });
  expect(parseRoute("/p/my-notes")).toEqual({ page: "project", id: "my-notes" });
  expect(parseRoute("/p/my-notes/")).toEqual({ page: "project", id: "my-notes" });
  expect(parseRoute("/p/a/b")).toEqual({ page: "missing", path: "/p/a/b" });
  expect(parseRoute(projectPath("odd id"))).toEqual({ page: "project", id: "odd id" });
});
