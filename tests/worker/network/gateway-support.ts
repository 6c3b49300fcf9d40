/**
 * What the network gateway's tests share (gateway.test.ts): an app that fetches what it is told to and
 * answers what it saw, and the project's policy, secrets, logs and gateway lines through the API.
 */
import { expect } from "vitest";
import type { LogsResponse } from "../../../shared/api";
import type { NetworkPolicy } from "../../../shared/network/policy";
import { api, app, appWith, createProject, deploy, on } from "../support/helpers";

/** `${NAME}` as a policy writes it (a template string would expand it). */
export const ref = (name: string) => `\${${name}}`;

export type Project = { id: string; token: string };

/** An app that fetches `?url=` (with `?headers=` as JSON) and answers what it saw, or the error it caught. */
export const FETCHER = appWith(`    const params = new URL(request.url).searchParams;
    const target = params.get("url") ?? "";
    const headers = JSON.parse(params.get("headers") ?? "{}");
    const redirect = (params.get("redirect") ?? "follow") as RequestRedirect;
    try {
      const outgoing = new Request(target, { headers, redirect });
      const response = await fetch(outgoing);
      const body = await response.text();
      // What the app built and sent, as its own logs show it (the echoed body is the remote host's).
      console.log("fetched", target, response.status, JSON.stringify([...outgoing.headers]));
      return Response.json({ status: response.status, body, location: response.headers.get("location"), env: this.env });
    } catch (error) {
      const e = error as Error;
      console.log("caught", e.message);
      return Response.json({ error: e.name, message: e.message, env: this.env });
    }`);

export interface FetchResult {
  status?: number;
  body?: string;
  location?: string | null;
  error?: string;
  message?: string;
  env: Record<string, string>;
}

export async function fetchThrough(
  project: Project,
  url: string,
  headers: Record<string, string> = {},
  redirect = "follow",
) {
  const query = new URLSearchParams({ url, headers: JSON.stringify(headers), redirect });
  const response = await app(project, `/?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as FetchResult;
}

export async function setPolicy(project: Project, body: NetworkPolicy) {
  return api.send("putNetwork", { ...on(project), body });
}

export async function setSecret(project: Project, name: string, value: string) {
  const set = await api.send("setEnv", {
    params: { id: project.id, name },
    credential: project.token,
    body: { value, secret: true },
  });
  expect(set.status).toBe(200);
}

export async function logText(project: Project): Promise<string> {
  const response = await api.send("readLogs", { ...on(project), query: { limit: 500 } });
  return JSON.stringify(((await response.json()) as LogsResponse).entries);
}

/** The terminal lines the gateway wrote (the app's own lines and its request's line aside). */
export async function gatewayLines(project: Project): Promise<string[]> {
  const response = await api.send("readLogs", { ...on(project), query: { limit: 500 } });
  return ((await response.json()) as LogsResponse).entries.flatMap((e) =>
    e.kind === "system" && e.message.startsWith("fetch ") ? [e.message] : [],
  );
}

export async function fetcherProject(): Promise<Project> {
  const project = await createProject();
  await deploy(project, FETCHER);
  return project;
}
