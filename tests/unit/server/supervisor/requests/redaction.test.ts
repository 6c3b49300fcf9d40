import { describe, expect, it } from "vitest";
import {
  credentialValues,
  redactBytes,
  redactHeaders,
  redactText,
  secretNeedles,
} from "../../../../../server/supervisor/requests/redaction";

const SECRET = "s3cr3t value/+&";
const needles = secretNeedles([SECRET, "ab"]);
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe("redaction", () => {
  it("finds a secret as it is, URL-encoded and JSON-escaped; skips values too short to mean anything", () => {
    expect(needles).toContain(SECRET);
    expect(needles).toContain(encodeURIComponent(SECRET));
    expect(needles).toContain("s3cr3t+value%2F%2B%26");
    expect(needles).not.toContain("ab");
    expect(redactText(`/x?a=${encodeURIComponent(SECRET)}&b=s3cr3t+value%2F%2B%26`, needles)).toBe(
      "/x?a=[redacted]&b=[redacted]",
    );
    expect(redactText("about abba", needles)).toBe("about abba");
  });

  it("redacts credential headers whatever they hold, and a secret inside any other", () => {
    const { headers, redacted } = redactHeaders(
      [
        ["Authorization", "Bearer x"],
        ["Cookie", "a=b"],
        ["set-cookie", "c=d"],
        ["X-Key", `key ${SECRET}`],
        ["Accept", "text/html"],
      ],
      needles,
    );
    expect(headers).toEqual({
      authorization: "[redacted]",
      cookie: "[redacted]",
      "set-cookie": "[redacted]",
      "x-key": "key [redacted]",
      accept: "text/html",
    });
    expect(redacted).toEqual(["authorization", "cookie", "set-cookie", "x-key"]);
  });

  it("redacts a secret in a body's bytes, every time it occurs, text or binary", () => {
    expect(text(redactBytes(bytes(`${SECRET}-${SECRET}!`), needles))).toBe("[redacted]-[redacted]!");
    const binary = new Uint8Array([0, 255, ...bytes(SECRET), 1, 2]);
    const out = redactBytes(binary, needles);
    expect([...out.subarray(0, 2)]).toEqual([0, 255]);
    expect(text(out.subarray(2, 12))).toBe("[redacted]");
    expect([...out.subarray(12)]).toEqual([1, 2]);
    const untouched = bytes("s3cr3t valu");
    expect(redactBytes(untouched, needles)).toBe(untouched);
  });

  it("takes the credentials a request carries, to redact where an app echoes them", () => {
    const values = credentialValues(
      [
        ["Authorization", "Bearer tok-123456"],
        ["cookie", "a=first-value; b=second-value"],
      ],
      [["set-cookie", "sid=session-value; Path=/; HttpOnly"]],
    );
    expect(values).toEqual(["Bearer tok-123456", "tok-123456", "first-value", "second-value", "session-value"]);
    const needles = secretNeedles(values);
    expect(redactText("hello tok-123456 and session-value", needles)).toBe("hello [redacted] and [redacted]");
  });
});
