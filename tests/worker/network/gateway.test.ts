import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AppResponse, LogsResponse } from "../../../shared/api";
import type { MetricsResponse } from "../../../shared/metrics";
import type { NetworkPolicy, NetworkResponse } from "../../../shared/network/policy";
import { api, app, appWith, createProject, deploy, on } from "../support/helpers";

import {
  FETCHER,
  type FetchResult,
  fetcherProject,
  fetchThrough,
  gatewayLines,
  logText,
  ref,
  setPolicy,
  setSecret,
} from "./gateway-support";

describe("the network gateway", () => {
  it("refuses everything by default with an error the app can catch, naming the host and where to allow it", async () => {
    const project = await fetcherProject();
    const result = await fetchThrough(project, "https://api.example.com/echo");
    expect(result.message).toContain("api.example.com");
    expect(result.message).toContain("Environment → Network");
    expect(result.message).toContain(`/api/projects/${project.id}/network`);
    const logs = await logText(project);
    expect(logs).toContain("fetch GET api.example.com/echo refused");
  });

  it("lets an allowed host answer and injects the secret the app never sees", async () => {
    const project = await fetcherProject();
    await setSecret(project, "API_KEY", "sk-live-SECRET-1234");
    const put = await setPolicy(project, {
      allow: [{ host: "api.example.com", headers: { Authorization: `Bearer ${ref("API_KEY")}` } }],
    });
    expect(put.status).toBe(200);
    const result = await fetchThrough(project, "https://api.example.com/echo?q=private-query");
    expect(result.status).toBe(200);
    const echoed = JSON.parse(result.body ?? "{}") as { headers: Record<string, string> };
    // The allowed host gets the header (and, echoing it, gives it back: such a host is trusted).
    expect(echoed.headers.authorization).toBe("Bearer sk-live-SECRET-1234");
    // The app's env goes without the injected secret.
    expect(result.env).toEqual({});
    const lines = await gatewayLines(project);
    expect(lines.join("\n")).toContain("fetch GET api.example.com/echo → 200");
    expect(lines.join("\n")).not.toContain("private-query");
    expect(await logText(project)).not.toContain("sk-live");
    const described = (await (await api.send("getNetwork", on(project))).json()) as NetworkResponse;
    expect(described.allow).toEqual([
      { host: "api.example.com", headers: { Authorization: `Bearer ${ref("API_KEY")}` } },
    ]);
    expect(described.recent[0]?.host).toBe("api.example.com");
    expect(JSON.stringify(described)).not.toContain("sk-live");
  });

  it("never expands a secret's reference in the app's own headers, and its header loses to the policy's", async () => {
    const project = await fetcherProject();
    await setSecret(project, "API_KEY", "sk-hidden");
    await setPolicy(project, {
      allow: [{ host: "api.example.com", headers: { Authorization: `Bearer ${ref("API_KEY")}` } }],
    });
    const result = await fetchThrough(project, "https://api.example.com/echo", {
      "x-steal": ref("API_KEY"),
      Authorization: "Bearer forged",
    });
    const echoed = JSON.parse(result.body ?? "{}") as { headers: Record<string, string> };
    expect(echoed.headers["x-steal"]).toBe(ref("API_KEY"));
    expect(echoed.headers.authorization).toBe("Bearer sk-hidden");
  });

  it("puts the calls a request made in request_app's lines", async () => {
    const project = await fetcherProject();
    await setPolicy(project, { allow: [{ host: "api.example.com" }] });
    const path = `/?${new URLSearchParams({ url: "https://api.example.com/echo?k=v" })}`;
    const answer = (await (await api.send("requestApp", { ...on(project), body: { path } })).json()) as AppResponse;
    const lines = JSON.stringify(answer.logs);
    expect(lines).toContain("fetch GET api.example.com/echo → 200");
    const refusedPath = `/?${new URLSearchParams({ url: "https://unlisted.example.org/x" })}`;
    const refused = (await (
      await api.send("requestApp", { ...on(project), body: { path: refusedPath } })
    ).json()) as AppResponse;
    expect(JSON.stringify(refused.logs)).toContain("fetch GET unlisted.example.org/x refused");
  });

  it("sends the draft's calls through the same policy, as the draft's lines, unmetered", async () => {
    const project = await fetcherProject();
    await setPolicy(project, { allow: [{ host: "api.example.com" }] });
    expect((await api.send("putDraftCode", { ...on(project), body: { files: FETCHER } })).status).toBe(200);
    const query = new URLSearchParams({ url: "https://api.example.com/echo", headers: "{}" });
    const response = await exports.default.fetch(new Request(`http://${project.id}--draft.localhost:5173/?${query}`));
    expect(((await response.json()) as FetchResult).status).toBe(200);
    const refusedQuery = new URLSearchParams({ url: "https://unlisted.example.org/", headers: "{}" });
    await exports.default.fetch(new Request(`http://${project.id}--draft.localhost:5173/?${refusedQuery}`));
    const entries = (
      (await (await api.send("readLogs", { ...on(project), query: { limit: 500 } })).json()) as LogsResponse
    ).entries;
    const calls = entries.filter((e) => e.kind === "system" && e.message.startsWith("fetch "));
    expect(calls).toHaveLength(2);
    expect(calls.every((e) => e.draft !== undefined)).toBe(true);
    const metrics = (await (
      await api.send("getMetrics", { ...on(project), query: { window: "1h" } })
    ).json()) as MetricsResponse;
    expect(metrics.totals.subrequests).toBe(0);
  });

  it("lets no raw socket out: connect() fails even to an allowed address", async () => {
    const project = await createProject();
    await setPolicy(project, { allow: [{ host: "api.example.com" }, { host: "127.0.0.1:9999" }] });
    await deploy(
      project,
      appWith(
        `    const results: string[] = [];
    for (const target of ["api.example.com:443", "127.0.0.1:9999", "127.0.0.1:5173"]) {
      try {
        const socket = connect(target);
        await socket.opened;
        const writer = socket.writable.getWriter();
        await writer.write(new TextEncoder().encode("GET / HTTP/1.0\\r\\n\\r\\n"));
        const read = await socket.readable.getReader().read();
        results.push("read " + (read.value?.byteLength ?? 0));
      } catch (error) {
        results.push("failed: " + (error as Error).message);
      }
    }
    return Response.json(results);`,
        `import { connect } from "cloudflare:sockets";`,
      ),
    );
    const results = (await (await app(project)).json()) as string[];
    expect(results).toHaveLength(3);
    // The Gateway's connect() refuses every socket; the app sees the runtime's own words for it.
    for (const result of results) expect(result).toBe("failed: Network connection lost.");
  });

  it("refuses a WebSocket upgrade to a host not listed with the same error", async () => {
    const project = await fetcherProject();
    const result = await fetchThrough(project, "https://socket.example.org/ws", { Upgrade: "websocket" });
    expect(result.message).toContain("socket.example.org");
    expect(result.message).toContain("not allowed");
  });

  it("matches wildcards, ports and normalised spellings of a host", async () => {
    const project = await fetcherProject();
    await setPolicy(project, { allow: [{ host: "*.Example.COM." }, { host: "api.other.test:8443" }] });
    expect((await fetchThrough(project, "https://deep.sub.example.com/echo")).status).toBe(200);
    expect((await fetchThrough(project, "https://SUB.EXAMPLE.COM./echo")).status).toBe(200);
    expect((await fetchThrough(project, "https://example.com/echo")).message).toContain("not allowed");
    expect((await fetchThrough(project, "https://api.other.test:8443/echo")).status).toBe(200);
    expect((await fetchThrough(project, "https://api.other.test/echo")).message).toContain("not allowed");
  });

  it("follows a redirect only to an allowed host, without carrying one host's headers to another", async () => {
    const project = await fetcherProject();
    await setSecret(project, "KEY_A", "secret-for-a");
    await setPolicy(project, {
      allow: [{ host: "a.example.com", headers: { "x-key": `${ref("KEY_A")}` } }, { host: "b.example.com" }],
    });
    const toB = await fetchThrough(
      project,
      `https://a.example.com/redirect?to=${encodeURIComponent("https://b.example.com/echo")}`,
    );
    expect(toB.status).toBe(200);
    const echoed = JSON.parse(toB.body ?? "{}") as { host: string; headers: Record<string, string> };
    expect(echoed.host).toBe("b.example.com");
    expect(echoed.headers["x-key"]).toBeUndefined();
    const away = await fetchThrough(
      project,
      `https://a.example.com/redirect?to=${encodeURIComponent("https://evil.test/echo")}`,
    );
    expect(away.message).toContain("evil.test");
    expect(away.message).toContain("not allowed");
    const manual = await fetchThrough(
      project,
      `https://a.example.com/redirect?to=${encodeURIComponent("https://evil.test/echo")}`,
      {},
      "manual",
    );
    expect(manual.status).toBe(302);
  });

  it("never reaches the IDE, a preview origin, metadata or loopback, whatever the policy says", async () => {
    const project = await fetcherProject();
    const other = await createProject();
    await setPolicy(project, { allow: [{ host: "127.0.0.1:9999" }] });
    const refused = [
      "http://localhost:5173/api/projects",
      `http://${other.id}.localhost:5173/`,
      "http://127.0.0.1:5173/api/health",
      "http://169.254.169.254/latest/meta-data/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://[fe80::1]/",
      "http://2130706433:9998/echo",
      "http://017700000001:9998/echo",
      "http://0x7f.0.0.1:5173/",
      "http://[::1]:9999/echo",
      "http://[::ffff:127.0.0.1]:5173/",
      "http://127.0.0.1.nip.io:9999/echo",
      "http://localhost.:9999/echo",
      "http://app.localhost:9999/echo",
      "http://10-0-0-1.sslip.io/echo",
      "http://127.0.0.1:9998/echo",
    ];
    for (const url of refused) {
      const result = await fetchThrough(project, url);
      expect(result.message, url).toMatch(/refused|not allowed/);
      expect(result.status, url).toBeUndefined();
    }
    // The address the policy names is reachable in every spelling of it.
    expect((await fetchThrough(project, "http://2130706433:9999/echo")).status).toBe(200);
    expect((await fetchThrough(project, "http://0x7f000001:9999/echo")).status).toBe(200);
  });

  it("refuses policies it could not honour, and headers that name no secret", async () => {
    const project = await fetcherProject();
    await api.send("setEnv", {
      params: { id: project.id, name: "PLAIN" },
      credential: project.token,
      body: { value: "x" },
    });
    const bad: NetworkPolicy[] = [
      { allow: [{ host: "127.0.0.1" }] },
      { allow: [{ host: "169.254.169.254:80" }] },
      { allow: [{ host: "evil.127.0.0.1.nip.io" }] },
      { allow: [{ host: "localhost:8080" }] },
      { allow: [{ host: "api.example.com/path" }] },
      { allow: [{ host: "api.example.com", headers: { Authorization: `Bearer ${ref("MISSING")}` } }] },
      { allow: [{ host: "api.example.com", headers: { Authorization: `Bearer ${ref("PLAIN")}` } }] },
      { allow: [{ host: "api.example.com", headers: { Host: "x" } }] },
      { allow: [{ host: "api.example.com", headers: { "x-a": "a\r\nx-b: b" } }] },
    ];
    for (const body of bad) {
      const response = await setPolicy(project, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("counts the calls that went out in the meter, and not the refused ones", async () => {
    const project = await fetcherProject();
    await setPolicy(project, { allow: [{ host: "api.example.com" }] });
    await fetchThrough(project, "https://api.example.com/echo");
    await fetchThrough(project, "https://api.example.com/echo");
    await fetchThrough(project, "https://unlisted.example.org/echo");
    const metrics = (await (
      await api.send("getMetrics", { ...on(project), query: { window: "1h" } })
    ).json()) as MetricsResponse;
    expect(metrics.totals.subrequests).toBe(2);
    expect(metrics.series.subrequests.reduce((a, b) => a + b, 0)).toBe(2);
    expect(metrics.cost.lines.find((l) => l.item === "Outbound subrequests")?.quantity).toBe(2);
  });

  it("trips the response-size cap, the timeout and the calls-a-minute cap with their messages, never the secret", async () => {
    const project = await fetcherProject();
    await setSecret(project, "K", "never-in-messages");
    await setPolicy(project, {
      allow: [{ host: "api.example.com", headers: { "x-key": ref("K") } }],
      maxResponseBytes: 1024,
      timeoutMs: 200,
      subrequestsPerMinute: 4,
    });
    const big = await fetchThrough(project, "https://api.example.com/big");
    expect(big.message).toContain("maxResponseBytes");
    const stream = await fetchThrough(project, "https://api.example.com/big-stream");
    expect(stream.message).toContain("maxResponseBytes");
    const slow = await fetchThrough(project, "https://api.example.com/slow");
    expect(slow.message).toContain("timeoutMs");
    expect((await fetchThrough(project, "https://api.example.com/echo")).status).toBe(200);
    const capped = await fetchThrough(project, "https://api.example.com/echo");
    expect(capped.message).toContain("subrequestsPerMinute");
    // What the app can read of the failures, and the terminal, never hold the injected value.
    expect(JSON.stringify([big, stream, slow, capped])).not.toContain("never-in-messages");
    expect(await logText(project)).not.toContain("never-in-messages");
  });
});
