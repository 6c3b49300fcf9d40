/**
 * request_app's redirects (app-requests.ts) with a fake visit in place of the app: a 3xx is the
 * answer unless asked to follow, and then only to the app's own origin, as a browser would (303 and
 * a POST's 302 become GET, 307 keeps the method and body), for at most five hops.
 */
import { describe, expect, it } from "vitest";
import { sendToApp, type Visit } from "../../../../server/supervisor/app-host/app-requests";
import type { AppRequest } from "../../../../shared/api";

const ORIGIN = "http://shop.localhost:5173/";

/** A fake app: `routes` by path; records what it was sent. */
function fakeApp(routes: Record<string, (request: Request) => Response>) {
  const seen: { method: string; url: string; body: string }[] = [];
  const visit: Visit = async (request) => {
    seen.push({ method: request.method, url: request.url, body: await request.text() });
    const route = routes[new URL(request.url).pathname];
    return route ? route(request) : new Response("not found", { status: 404 });
  };
  return { visit, seen };
}

const redirect =
  (location: string, status = 302) =>
  () =>
    new Response(null, { status, headers: { location } });

async function send(app: ReturnType<typeof fakeApp>, request: AppRequest) {
  const answer = await sendToApp(ORIGIN, request, app.visit);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value;
}

describe("request_app's redirects", () => {
  it("answers a 3xx as it is by default", async () => {
    const app = fakeApp({ "/s/a": redirect("/home"), "/home": () => new Response("home") });
    const answer = await send(app, { path: "/s/a" });
    expect(answer).toMatchObject({ status: 302, headers: { location: "/home" } });
    expect(answer.redirects).toBeUndefined();
    expect(app.seen.map((s) => s.url)).toEqual(["http://shop.localhost:5173/s/a"]);
  });

  it("follows same-origin redirects as a browser: 303 and a POST's 302 as GET, 307 with its method and body", async () => {
    const app = fakeApp({
      "/a": redirect("/b", 307),
      "/b": redirect("http://shop.localhost:5173/c", 302),
      "/c": redirect("d?x=1", 303),
      "/d": (r) => new Response(`d ${r.method}`),
    });
    const answer = await send(app, { method: "POST", path: "/a", body: "form", redirect: "follow" });
    expect(answer).toMatchObject({ status: 200, body: "d GET" });
    expect(answer.redirects).toEqual([
      { status: 307, location: "/b" },
      { status: 302, location: "http://shop.localhost:5173/c" },
      { status: 303, location: "d?x=1" },
    ]);
    expect(app.seen).toEqual([
      { method: "POST", url: "http://shop.localhost:5173/a", body: "form" },
      { method: "POST", url: "http://shop.localhost:5173/b", body: "form" },
      { method: "GET", url: "http://shop.localhost:5173/c", body: "" },
      { method: "GET", url: "http://shop.localhost:5173/d?x=1", body: "" },
    ]);
  });

  it("never follows to another origin (another host, port or scheme, or a protocol-relative one)", async () => {
    for (const location of [
      "https://example.com/x",
      "http://shop.localhost:9999/x",
      "https://shop.localhost:5173/x",
      "//other.localhost:5173/x",
      "http://other.localhost:5173/x",
    ]) {
      const app = fakeApp({ "/go": redirect(location) });
      const answer = await send(app, { path: "/go", redirect: "follow" });
      expect(answer.status, location).toBe(302);
      expect(answer.note).toMatch(/Not followed: the Location is not on the app's origin/);
      expect(app.seen).toHaveLength(1);
    }
  });

  it("stops after five hops and answers the next redirect", async () => {
    const app = fakeApp({ "/loop": redirect("/loop") });
    const answer = await send(app, { path: "/loop", redirect: "follow" });
    expect(answer.status).toBe(302);
    expect(answer.redirects).toHaveLength(5);
    expect(answer.note).toMatch(/Stopped after following 5 redirects/);
    expect(app.seen).toHaveLength(6);
  });

  it("keeps a path that looks like another origin on the app's own ('//elsewhere')", async () => {
    const app = fakeApp({});
    await send(app, { path: "//elsewhere.example/x" });
    expect(new URL(app.seen[0]?.url ?? "").host).toBe("shop.localhost:5173");
  });
});
