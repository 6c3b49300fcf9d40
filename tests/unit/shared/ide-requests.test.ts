import { describe, expect, it } from "vitest";
import { ideRequestRefusal, localHostRefusal, methodRefusal } from "../../../shared/http/ide-requests";

const IDE = "http://localhost:5173";
const request = (method: string, headers: Record<string, string> = {}) => ({
  method,
  origin: IDE,
  header: (name: string) => headers[name],
});
const fromPage = (site: string, mode = "cors", dest = "empty") => ({
  origin: "http://attacker.localhost:5173",
  "sec-fetch-site": site,
  "sec-fetch-mode": mode,
  "sec-fetch-dest": dest,
});

describe("requests to the IDE's origin", () => {
  it("are served from the IDE's own pages and from clients that are not browsers", () => {
    expect(ideRequestRefusal(request("POST", { "sec-fetch-site": "same-origin", origin: IDE }))).toBeNull();
    expect(ideRequestRefusal(request("PUT"))).toBeNull();
    expect(ideRequestRefusal(request("GET", { "sec-fetch-site": "none" }))).toBeNull();
  });

  it("refuse writes and reads from other sites, an app's page above all", () => {
    for (const site of ["same-site", "cross-site"]) {
      expect(ideRequestRefusal(request("POST", fromPage(site)))?.status).toBe(403);
      expect(ideRequestRefusal(request("GET", fromPage(site)))?.status).toBe(403);
      expect(ideRequestRefusal(request("GET", fromPage(site, "no-cors", "script")))?.status).toBe(403);
      expect(ideRequestRefusal(request("GET", fromPage(site, "navigate", "iframe")))?.status).toBe(403);
      // A form posted from another site is a navigation, and a write: refused.
      expect(ideRequestRefusal(request("POST", fromPage(site, "navigate", "document")))?.status).toBe(403);
    }
  });

  it("let another site link to the IDE", () => {
    // Browsers send no Origin on a GET navigation.
    const { origin: _none, ...link } = fromPage("cross-site", "navigate", "document");
    expect(ideRequestRefusal(request("GET", link))).toBeNull();
  });

  it("refuse another origin's Origin whatever the fetch metadata says (the MCP server's rule, /mcp included)", () => {
    expect(
      ideRequestRefusal(request("POST", { origin: "http://demo.localhost:5173", "sec-fetch-site": "same-origin" }))
        ?.message,
    ).toMatch(/demo\.localhost/);
    expect(ideRequestRefusal(request("POST", { origin: "null", "sec-fetch-site": "same-origin" }))?.status).toBe(403);
    // Agents' HTTP clients send neither Origin nor Sec-Fetch-Site.
    expect(ideRequestRefusal(request("POST", {}))).toBeNull();
  });

  it("fall back to Origin without fetch metadata, and never answer a preflight", () => {
    expect(ideRequestRefusal(request("POST", { origin: "http://attacker.localhost:5173" }))?.status).toBe(403);
    expect(ideRequestRefusal(request("POST", { origin: "null" }))?.status).toBe(403);
    expect(ideRequestRefusal(request("OPTIONS", { origin: IDE }))?.status).toBe(403);
  });

  it("answer on this machine's names only when local (DNS rebinding)", () => {
    for (const host of ["localhost", "127.0.0.1", "[::1]", "demo.localhost", "demo--draft.localhost"])
      expect(localHostRefusal(host, "localhost")).toBeNull();
    for (const host of ["attacker.example", "localhost.attacker.example", "192.168.1.2"])
      expect(localHostRefusal(host, "localhost")?.status).toBe(403);
  });

  it("refuse TRACE, TRACK and CONNECT with a 405 on every origin", () => {
    for (const method of ["TRACE", "track", "CONNECT"]) expect(methodRefusal(method)?.status).toBe(405);
    expect(methodRefusal("GET")).toBeNull();
  });
});
