/** A swap waits for requests in flight up to the drain deadline; what is still running then is cut, visibly. */
import { describe, expect, it } from "vitest";
import slowStream from "../fixtures/apps/slow-stream.ts?raw";
import { app, appWith, createProject, deploy } from "../support/helpers";
import { openTerminal, waitForLine } from "../support/socket";

describe("a swap that cuts a request off", () => {
  it("errors the body a client is still reading, and the terminal names the request", async () => {
    const project = await createProject();
    await deploy(project, { "app.ts": slowStream });
    const terminal = await openTerminal(project);
    const response = await app(project, "/events?room=a");
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: 0\n\n");

    const saved = deploy(project, appWith(`    return new Response("v2");`));
    let outcome: string;
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) {
          outcome = "clean end of stream";
          break;
        }
      }
    } catch (error) {
      outcome = `error: ${error}`;
    }
    // An error naming the request and the swap, not a clean end that would pass for a complete body.
    expect(outcome).toMatch(/^error: .*GET \/events\?room=a was cut off: The app was replaced by v2/);
    expect((await saved).version).toBe(2);
    expect(await (await app(project, "/")).text()).toBe("v2");
    const line = await waitForLine(terminal, (e) => e.kind === "system" && e.message.includes("cut off"));
    expect(line).toMatchObject({ level: "warn" });
    expect(line.kind === "system" && line.message).toMatch(
      /^1 request was still running after the 1 s drain deadline and cut off: GET \/events\?room=a \(response body still streaming, [\d.]+ s\)\. Why: The app was replaced by v2$/,
    );
  });

  it("answers a request the app had not answered yet with a 503 that says why", async () => {
    const project = await createProject();
    await deploy(
      project,
      appWith(`    await new Promise((r) => setTimeout(r, 20_000));
    return new Response("too late");`),
    );
    const terminal = await openTerminal(project);
    const pending = app(project, "/slow", { method: "POST", body: "x" });
    await new Promise((r) => setTimeout(r, 200)); // lets the request reach the app
    const saved = deploy(project, appWith(`    return new Response("v2");`));
    const response = await pending;
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/^POST \/slow was cut off: The app was replaced by v2/);
    expect((await saved).version).toBe(2);
    const line = await waitForLine(terminal, (e) => e.kind === "system" && e.message.includes("cut off"));
    expect(line.kind === "system" && line.message).toMatch(/POST \/slow \(no response yet, /);
    const request = await waitForLine(terminal, (e) => e.kind === "request" && e.path === "/slow");
    expect(request).toMatchObject({ status: 503, outcome: "cut off" });
  });
});
