/**
 * Browsers must not reach /mcp from another page: an agent key or token in a request a page makes
 * could not be sent by that page (it does not hold it), but a request without credentials must not
 * get as far as the MCP server either, and the MCP specification asks servers to check Origin
 * against DNS rebinding. Agents' HTTP clients send neither Origin nor Sec-Fetch-Site and pass.
 * An app's page (`<project>.<domain>`) is same-site with a deployed IDE, so only same-origin passes.
 */
export function crossSiteRefusal(request: Request): string | null {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin) {
    return `Requests from ${origin} may not use this MCP server`;
  }
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    return "Requests from other sites may not use this MCP server";
  }
  return null;
}
