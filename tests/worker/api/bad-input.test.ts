import { describe, expect, it } from "vitest";
import { type ErrorBody, LIMITS } from "../../../shared/api";
import { api, app, call, counterApp, createProject, deploy, on, putCode } from "../support/helpers";

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  const body = (await response.json()) as ErrorBody;
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

describe("bad input gets a clear 4xx and changes nothing", () => {
  it("malformed JSON, wrong content type, unknown fields", async () => {
    const project = await createProject();
    const path = api.path("putCode", { params: { id: project.id } });
    const headers = { authorization: `Bearer ${project.token}` };
    const malformed = await call(path, {
      method: "PUT",
      headers: { ...headers, "content-type": "application/json" },
      body: '{"files": {',
    });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).message).toMatch(/not valid JSON/);

    const wrongType = await call(path, {
      method: "PUT",
      headers: { ...headers, "content-type": "text/plain" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);

    const extra = await call(path, {
      method: "PUT",
      token: project.token,
      json: { files: { "app.ts": "x" }, evil: 1 },
    });
    expect(extra.status).toBe(400);

    const notObject = await call(path, { method: "PUT", token: project.token, json: [1, 2, 3] });
    expect(notObject.status).toBe(400);
  });

  it("an oversized body is refused with 413", async () => {
    const project = await createProject();
    const huge = "x".repeat(LIMITS.maxBodyBytes + 10);
    const response = await api.send("putCode", { ...on(project), body: { files: { "app.ts": huge } } });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("payload_too_large");
  });

  it("an oversized body is read to its end before the 413, so a client still sending gets the answer", async () => {
    // A worker that answered at the limit left the rest unread, and workerd closed the connection
    // under clients that send the whole body at once (Node's fetch; browsers): they saw a reset.
    const project = await createProject();
    const chunk = new Uint8Array(256 * 1024).fill(120);
    const chunks = 12; // 3 MiB, sent without a length
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled === chunks) return controller.close();
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const response = await call(api.path("putCode", { params: { id: project.id } }), {
      method: "PUT",
      token: project.token,
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("payload_too_large");
    expect(pulled).toBe(chunks);
  });

  it("TRACE is refused on every origin with a JSON 405, as under npm run dev", async () => {
    const project = await createProject();
    await deploy(project, counterApp("traced"));
    for (const response of [
      await call(api.path("health"), { method: "TRACE" }),
      await call("/", { method: "TRACE" }),
      await app(project, "/", { method: "TRACE" }),
    ]) {
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toContain("GET");
      expect((await errorOf(response)).code).toBe("method_not_allowed");
    }
    expect(await (await app(project)).text()).toBe("traced rows=1");
  });

  it("a file over the size limit, too many files, no files", async () => {
    const project = await createProject();
    const big = await putCode(project, { "app.ts": "x".repeat(LIMITS.maxFileBytes + 1) });
    expect(big.status).toBe(400);
    const many = Object.fromEntries(Array.from({ length: LIMITS.maxFiles + 1 }, (_, i) => [`f${i}.ts`, "export {}"]));
    const tooMany = await putCode(project, many, "f0.ts");
    expect(tooMany.status).toBe(400);
    expect((await errorOf(tooMany)).message).toMatch(/1 to 64 files/);
    expect((await putCode(project, {})).status).toBe(400);
  });

  it("file names with .. or / tricks", async () => {
    const project = await createProject();
    for (const name of [
      "../app.ts",
      "/etc/passwd.ts",
      "a/../../b.ts",
      "lib//x.ts",
      "a\\b.ts",
      ".hidden.ts",
      "app.exe",
      "lib/./x.ts",
    ]) {
      const response = await putCode(project, { [name]: "export {}" }, name);
      expect(response.status, name).toBe(400);
    }
  });

  it("main that is not one of the files", async () => {
    const project = await createProject();
    const response = await putCode(project, counterApp("x"), "other.ts");
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/main 'other.ts'/);
  });

  it("invalid project ids and names", async () => {
    const project = await createProject();
    for (const id of ["UPPER", "-lead", "a_b", "x".repeat(41), "a.b"]) {
      const response = await api.send("getProject", { params: { id }, credential: project.token });
      expect(response.status, id).toBe(400);
    }
    const badName = await api.send("createProject", { body: { name: "!!!" } });
    expect(badName.status).toBe(400);
    const badTemplate = await api.send("createProject", { body: { template: "nope" } });
    expect(badTemplate.status).toBe(400);
  });

  it("malformed Authorization headers", async () => {
    const project = await createProject();
    for (const header of ["Basic abc", "Bearer", "token abc", ""]) {
      const response = await api.send("getProject", { params: { id: project.id }, headers: { authorization: header } });
      expect(response.status, header).toBe(401);
    }
  });

  it("unknown API routes answer JSON 404", async () => {
    // Deliberately a path no route has.
    const response = await call("/api/nothing-here");
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
  });

  it("after all of it, the live version is unchanged and serving", async () => {
    const project = await createProject();
    await deploy(project, counterApp("steady"));
    await putCode(project, { "../x.ts": "" });
    await call(api.path("putCode", { params: { id: project.id } }), {
      method: "PUT",
      token: project.token,
      body: "{",
      headers: { "content-type": "application/json" },
    });
    const response = await app(project);
    expect(response.headers.get("x-app-version")).toBe("1");
    expect(await response.text()).toBe("steady rows=1");
  });
});
