/**
 * A response body a save cuts off must reach an HTTP client as an aborted body, under `npm start` and
 * through the real dev server: there Vite's error handler would otherwise append an HTML error page
 * and end the body cleanly. A body the app gave whole is not a stream any more when it leaves: it
 * reaches the client with its Content-Length.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import streamingAppSource from "./fixtures/streaming-app.ts?raw";
import { appRequest, createProject, deploy, type IdeServer, type Mode, startServer } from "./ide-server";

const streamingApp = (label: string) => streamingAppSource.replaceAll('"__LABEL__"', () => JSON.stringify(label));

/** Reads a streamed response until it ends or fails; calls `onFirstChunk` once bytes arrive. */
function readStream(server: IdeServer, projectId: string, path: string, onFirstChunk: () => void) {
  return new Promise<{ status: number; body: string; ending: "end" | "aborted" }>((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: server.port, path, headers: { host: `${projectId}.localhost:${server.port}` } },
      (response) => {
        let body = "";
        const finish = (ending: "end" | "aborted") => resolve({ status: response.statusCode ?? 0, body, ending });
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          if (!body) onFirstChunk();
          body += chunk;
        });
        response.on("end", () => finish("end"));
        response.on("error", () => finish("aborted"));
        response.on("aborted", () => finish("aborted"));
      },
    );
    request.on("error", reject);
    request.end();
  });
}

describe.each<Mode>(["start", "dev"])("a stream cut off by a save, over HTTP (npm %s)", (mode) => {
  let server: IdeServer;
  beforeAll(async () => {
    server = await startServer({ mode });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("ends in an aborted body, not a clean end with an error page appended", async () => {
    const project = await createProject(server);
    await deploy(server, project, streamingApp("v1"));
    let saved: Promise<{ version: number }> | null = null;
    const result = await readStream(server, project.id, "/events", () => {
      saved = deploy(server, project, streamingApp("v2"));
    });
    expect(result.status).toBe(200);
    expect(result.body.startsWith("data: 0\n\n")).toBe(true);
    expect(result.body).not.toContain("<!DOCTYPE html>");
    expect(result.ending).toBe("aborted");
    expect((await (saved as Promise<{ version: number }> | null))?.version).toBe(2);
  });

  it("answers a body the app gave whole with its Content-Length", async () => {
    const project = await createProject(server);
    await deploy(server, project, streamingApp("whole answer"));
    const answer = await appRequest(server, project.id);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-length"]).toBe("12");
    expect(await answer.text()).toBe("whole answer");
  });
});
