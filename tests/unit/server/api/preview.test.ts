/** Which project (and whether its draft) a preview host names, and the ids that may exist. */
import { describe, expect, it } from "vitest";
import { isDraftHost, previewProjectOf, previewUrl } from "../../../../server/preview";
import { ProjectId } from "../../../../shared/api";

const env = { PREVIEW_DOMAIN: "localhost" } as Env;
const of = (host: string) => previewProjectOf(new Request(`http://${host}/x`), env);

describe("preview hosts", () => {
  it("names the project of its app's origin and of its draft's", () => {
    expect(of("demo.localhost:5173")).toBe("demo");
    expect(of("my-app--draft.localhost:5173")).toBe("my-app");
    expect(isDraftHost("my-app--draft.localhost")).toBe(true);
    expect(isDraftHost("my-draft.localhost")).toBe(false);
    expect(of("localhost:5173")).toBeNull();
    expect(of("a.b.localhost")).toBeNull();
    expect(of("--draft.localhost")).toBeNull();
  });

  it("makes the draft's URL from the request's origin", () => {
    expect(previewUrl("http://localhost:5173/api/x", env, "demo", { draft: true })).toBe(
      "http://demo--draft.localhost:5173/",
    );
    expect(previewUrl("https://ide.example/api/x", env, "demo")).toBe("https://demo.localhost/");
  });

  it("refuses ids with '--', which would be ambiguous with a draft's host", () => {
    expect(ProjectId.safeParse("a--b").success).toBe(false);
    expect(ProjectId.safeParse("a-b").success).toBe(true);
  });
});
