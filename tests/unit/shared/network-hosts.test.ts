import { describe, expect, it } from "vitest";
import {
  addressKind,
  type HostPattern,
  judgeUrl,
  parseHostPattern,
  privateNameProblem,
} from "../../../shared/network/hosts";
import { policySecrets, templateSecrets } from "../../../shared/network/policy";

/** `${NAME}` as a policy writes it (a template string would expand it). */
const ref = (name: string) => `\${${name}}`;

const context = { ideHosts: ["localhost:5173"], previewDomain: "localhost" };

function pattern(text: string): HostPattern {
  const parsed = parseHostPattern(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.pattern;
}

const judge = (url: string, allow: string[]) => judgeUrl(new URL(url), allow.map(pattern), context, "there");

describe("host patterns", () => {
  it("normalise case, trailing dots, IDNA and IP spellings", () => {
    expect(pattern("API.Example.COM.")).toEqual({ host: "api.example.com", wildcard: false, port: null });
    expect(pattern("*.bücher.example")).toEqual({ host: "xn--bcher-kva.example", wildcard: true, port: null });
    expect(pattern("0x7f.1:8787")).toEqual({ host: "127.0.0.1", wildcard: false, port: 8787 });
    expect(pattern("2130706433:8787").host).toBe("127.0.0.1");
    expect(pattern("[0:0::1]:80")).toEqual({ host: "::1", wildcard: false, port: 80 });
  });

  it("refuse what the gateway would never honour", () => {
    for (const bad of [
      "",
      "api.example.com/path",
      "user@api.example.com",
      "*.127.0.0.1",
      "127.0.0.1",
      "[::1]",
      "169.254.169.254:80",
      "[fe80::1]:80",
      "metadata.google.internal",
      "localhost:8080",
      "a.localhost:8080",
      "127.0.0.1.nip.io",
      "app.10-0-0-1.sslip.io",
      "intranet",
      "printer.local",
      "*.*.example.com",
    ]) {
      expect(parseHostPattern(bad).ok, bad).toBe(false);
    }
  });
});

describe("address kinds", () => {
  it("see loopback, private and link-local in every spelling", () => {
    expect(addressKind("127.0.0.1")).toBe("private");
    expect(addressKind("10.1.2.3")).toBe("private");
    expect(addressKind("::1")).toBe("private");
    expect(addressKind("::ffff:7f00:1")).toBe("private");
    expect(addressKind("::ffff:a9fe:a9fe")).toBe("never");
    expect(addressKind("169.254.169.254")).toBe("never");
    expect(addressKind("fe80::1")).toBe("never");
    expect(addressKind("0.0.0.0")).toBe("never");
    expect(addressKind("100.100.100.200")).toBe("never");
    expect(addressKind("8.8.8.8")).toBe("public");
    expect(addressKind("api.example.com")).toBe("name");
  });

  it("see names that spell an address", () => {
    expect(privateNameProblem("127.0.0.1.nip.io")).not.toBeNull();
    expect(privateNameProblem("x.192.168.1.1.example.com")).not.toBeNull();
    expect(privateNameProblem("app-10-0-0-1.example.com")).not.toBeNull();
    expect(privateNameProblem("api.example.com")).toBeNull();
    expect(privateNameProblem("v1-2-3.example.com")).toBeNull();
  });
});

describe("judging a call", () => {
  it("allows listed hosts on their port only", () => {
    expect(judge("https://api.example.com/x", ["api.example.com"]).allowed).toBe(true);
    expect(judge("https://api.example.com:8443/x", ["api.example.com"]).allowed).toBe(false);
    expect(judge("http://api.example.com/x", ["api.example.com"]).allowed).toBe(true);
    expect(judge("https://a.b.example.com/", ["*.example.com"]).allowed).toBe(true);
    expect(judge("https://example.com/", ["*.example.com"]).allowed).toBe(false);
    expect(judge("https://evilexample.com/", ["*.example.com"]).allowed).toBe(false);
  });

  it("reaches loopback only at the exact address and port named, and never the IDE's port", () => {
    expect(judge("http://127.0.0.1:8787/", ["127.0.0.1:8787"]).allowed).toBe(true);
    expect(judge("http://2130706433:8787/", ["127.0.0.1:8787"]).allowed).toBe(true);
    expect(judge("http://127.0.0.2:8787/", ["127.0.0.1:8787"]).allowed).toBe(false);
    expect(judge("http://[::1]:8787/", ["127.0.0.1:8787"]).allowed).toBe(false);
    expect(judge("http://127.0.0.1:5173/", ["127.0.0.1:5173"])).toMatchObject({ allowed: false, reason: "never" });
    expect(judge("http://localhost:5173/", [])).toMatchObject({ allowed: false, reason: "never" });
    expect(judge("http://p1.localhost:5173/", [])).toMatchObject({ allowed: false, reason: "never" });
    expect(judge("http://localhost.:9999/", [])).toMatchObject({ allowed: false, reason: "never" });
  });

  it("names the host and where to allow it", () => {
    const verdict = judge("https://unlisted.example.org/path?q=1", []);
    expect(verdict).toMatchObject({ allowed: false, reason: "unlisted" });
    if (!verdict.allowed) {
      expect(verdict.message).toContain("unlisted.example.org");
      expect(verdict.message).toContain("there");
      expect(verdict.message).not.toContain("q=1");
    }
    expect(judge("ftp://api.example.com/", ["api.example.com"]).allowed).toBe(false);
  });
});

describe("header templates", () => {
  it("name secrets, and refuse line breaks and unclosed references", () => {
    expect(templateSecrets(`Bearer ${ref("KEY")} ${ref("OTHER")}`)).toEqual({ ok: true, names: ["KEY", "OTHER"] });
    expect(templateSecrets("a\r\nb").ok).toBe(false);
    expect(templateSecrets(`Bearer ${"$"}{KEY`).ok).toBe(false);
    expect(templateSecrets(ref("not a name")).ok).toBe(false);
    expect(
      policySecrets({ allow: [{ host: "a.com", headers: { A: ref("X"), B: `${ref("X")}${ref("Y")}` } }] }),
    ).toEqual(["X", "Y"]);
  });
});
