import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "../../../server/mcp/cross-site";

const request = (headers: Record<string, string>) =>
  new Request("http://localhost:5173/mcp", { method: "POST", headers });

describe("/mcp refuses other sites' pages", () => {
  it("lets agents (no Origin, no Sec-Fetch-Site) and the IDE's own origin through", () => {
    expect(crossSiteRefusal(request({}))).toBeNull();
    expect(crossSiteRefusal(request({ origin: "http://localhost:5173", "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(crossSiteRefusal(request({ "sec-fetch-site": "none" }))).toBeNull();
  });

  it("refuses an app's page (same site once deployed) and any other origin", () => {
    expect(crossSiteRefusal(request({ origin: "http://demo.localhost:5173" }))).toMatch(/demo\.localhost/);
    expect(crossSiteRefusal(request({ origin: "null" }))).not.toBeNull();
    expect(crossSiteRefusal(request({ "sec-fetch-site": "same-site" }))).not.toBeNull();
    expect(crossSiteRefusal(request({ "sec-fetch-site": "cross-site" }))).not.toBeNull();
  });
});
