/**
 * The build as it is deployed (ENVIRONMENT=production, a preview domain, an access secret, no launcher:
 * ide-server.ts's `production` mode), served locally by the runtime `npm start` uses, started once for
 * the core flows whose code differs from the local one: creating projects and minting keys gated by
 * the secret, apps at `<project>.<PREVIEW_DOMAIN>` (reached by Host header: Node resolves no such
 * name), error pages without the app's message or stack, and the terminal's hibernatable WebSocket.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../shared/protocol";
import { clientOf, counterSource, rawRequest, serverForFile, terminalUrl } from "./ide-server";

const production = { previewDomain: "preview.test", accessSecret: randomBytes(32).toString("base64url") };
const server = serverForFile({ mode: "production", production });

const thrower = `import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {
  fetch(): Response {
    throw new Error("the-app-secret-detail");
  }
}
`;

async function projectWithCode(source: string) {
  const project = await clientOf(server).call("createProject", {
    body: { template: "blank" },
    credential: production.accessSecret,
  });
  await clientOf(server).call("putCode", {
    params: { id: project.id },
    credential: project.token,
    body: { files: { "app.ts": source } },
  });
  return project;
}

const preview = (id: string, path = "/", headers?: Record<string, string>) =>
  rawRequest(server, `${id}.${production.previewDomain}`, path, { headers });

describe("the build as deployed (ENVIRONMENT=production)", () => {
  it("creates projects and mints keys only for the access secret", async () => {
    const client = clientOf(server);
    const anonymous = await client.send("createProject", { body: { template: "blank" } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/access secret/);
    const wrong = await client.send("createProject", { body: { template: "blank" }, credential: "not-the-secret" });
    expect(wrong.status).toBe(401);
    const keyRefused = await client.send("createKey", {});
    expect(keyRefused.status).toBe(401);
    const key = await client.send("createKey", { credential: production.accessSecret });
    expect(key.status, await key.clone().text()).toBe(201);
    const created = await client.call("createProject", {
      body: { template: "blank" },
      credential: production.accessSecret,
    });
    expect(new URL(created.previewUrl).hostname).toBe(`${created.id}.${production.previewDomain}`);
  });

  it("serves each app at its origin under the preview domain, and only there", async () => {
    const project = await projectWithCode(counterSource("deployed"));
    const served = await preview(project.id);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe("deployed rows=1");
    expect(served.headers["x-app-version"]).toBe("1");
    // The local preview origin means nothing here: that Host is the IDE's, not an app's.
    const local = await rawRequest(server, `${project.id}.localhost`, "/");
    expect(await local.text()).not.toContain("deployed rows=");
    const nobody = await preview("nobody-here");
    expect(nobody.status).toBe(404);
  });

  it("answers an app's exception without its message or stack", async () => {
    const project = await projectWithCode(thrower);
    for (const accept of ["text/plain", "text/html"]) {
      const failed = await preview(project.id, "/", { accept });
      expect(failed.status).toBe(500);
      const body = await failed.text();
      expect(body).toContain("The app failed to handle this request.");
      expect(body).not.toContain("the-app-secret-detail");
      expect(body).not.toMatch(/\bat .*app\.(ts|js)/);
    }
  });

  it("streams the app's request lines to the terminal's (hibernatable) WebSocket", async () => {
    const project = await projectWithCode(counterSource("watched"));
    const messages: ServerMessage[] = [];
    const socket = new WebSocket(terminalUrl(server, project.id), ["facet-ide", `token.${project.token}`]);
    socket.addEventListener("message", (e) => messages.push(JSON.parse(String(e.data))));
    const until = async (match: (m: ServerMessage) => boolean) => {
      for (let i = 0; i < 600; i++) {
        const found = messages.find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no matching message; got ${JSON.stringify(messages).slice(0, 2000)}`);
    };
    try {
      await until((m) => m.type === "hello");
      expect((await preview(project.id, "/seen?x=1")).status).toBe(200);
      const found = await until(
        (m) => m.type === "logs" && m.entries.some((e) => e.kind === "request" && e.path === "/seen?x=1"),
      );
      if (found.type !== "logs") throw new Error("expected logs");
      expect(found.entries.find((e) => e.kind === "request")).toMatchObject({ method: "GET", status: 200, version: 1 });
    } finally {
      socket.close();
    }
  });
});
