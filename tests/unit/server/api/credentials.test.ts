/**
 * Which bearers are a credential of this server at all (server/api/credentials.ts): what the MCP
 * server checks before it handles any message. Lookups are fakes here; tests/worker/mcp/mcp.test.ts
 * uses the real registry.
 */
import { describe, expect, it } from "vitest";
import { credentialForm, isKnownCredential, randomAgentKey, randomToken } from "../../../../server/api/credentials";
import { sha256Hex } from "../../../../server/supervisor/versions/hashing";

// workerd's extension of WebCrypto (hashing.ts compares secrets with it), which Node lacks.
const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBuffer, b: ArrayBuffer) => boolean };
subtle.timingSafeEqual ??= (a, b) => Buffer.from(a).equals(Buffer.from(b));

describe("credentialForm", () => {
  it("tells a key and a token by their form, and refuses anything else", () => {
    for (let i = 0; i < 50; i++) {
      expect(credentialForm(randomAgentKey())).toBe("key");
      expect(credentialForm(randomToken())).toBe("token");
    }
    const token = randomToken();
    for (const other of [
      "x",
      "",
      `${token}x`,
      token.slice(1),
      `fk_${token}x`,
      "fk_not-a-key",
      `${token.slice(0, 42)}=`,
    ]) {
      expect(credentialForm(other), other).toBeNull();
    }
  });
});

describe("isKnownCredential", () => {
  /** Lookups that know `known` (by hash) and count how often they were asked. */
  async function lookups(known: string[]) {
    const hashes = new Set(await Promise.all(known.map(sha256Hex)));
    const asked = { keys: 0, tokens: 0 };
    return {
      asked,
      checks: {
        keyMinted: async (hash: string) => {
          asked.keys++;
          return hashes.has(hash);
        },
        tokenIssued: async (hash: string) => {
          asked.tokens++;
          return hashes.has(hash);
        },
      },
    };
  }

  it("knows minted keys, issued tokens and the operator's secret; nothing else", async () => {
    const key = randomAgentKey();
    const token = randomToken();
    const { checks, asked } = await lookups([key, token]);
    expect(await isKnownCredential(key, undefined, checks)).toBe(true);
    expect(await isKnownCredential(token, undefined, checks)).toBe(true);
    expect(asked).toEqual({ keys: 1, tokens: 1 });
    expect(await isKnownCredential(randomAgentKey(), undefined, checks)).toBe(false);
    expect(await isKnownCredential(randomToken(), undefined, checks)).toBe(false);
    expect(await isKnownCredential("operator's secret", "operator's secret", checks)).toBe(true);
    expect(await isKnownCredential("operator's secret", undefined, checks)).toBe(false);
  });

  it("looks nothing up for a bearer of neither form", async () => {
    const { checks, asked } = await lookups([]);
    for (const bearer of ["x", "Bearer", "fk_", "a".repeat(44), "a".repeat(1000)]) {
      expect(await isKnownCredential(bearer, "the secret", checks)).toBe(false);
    }
    expect(asked).toEqual({ keys: 0, tokens: 0 });
  });
});
