/** The IDs the app's namespaces make (a runtime module with its own SHA-256) match the supervisor's checks. */
import { describe, expect, it } from "vitest";
import * as ids from "../../../../server/app-runtime/objects/ids";
import { isObjectIdOf, namedObjectId } from "../../../../server/supervisor/objects/object-ids";

async function webCryptoHex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Buffer.from(digest).toString("hex");
}

describe("object IDs", () => {
  it("hashes as SHA-256 does, for empty, long and non-ASCII text", async () => {
    for (const text of ["", "abc", "a".repeat(55), "a".repeat(56), "b".repeat(1000), "flight ✈ 1234 ünïcode"]) {
      expect(ids.sha256Hex(text)).toBe(await webCryptoHex(text));
    }
  });

  it("gives the same named ID in the app as the supervisor checks, and a different one per class", async () => {
    const id = ids.namedId("Flight", "1234");
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).toBe(await namedObjectId("Flight", "1234"));
    expect(ids.namedId("Room", "1234")).not.toBe(id);
    expect(await isObjectIdOf("Flight", id)).toBe(true);
    expect(await isObjectIdOf("Room", id)).toBe(false);
  });

  it("tells a unique ID's namespace from its tag", async () => {
    const id = ids.uniqueId("Flight");
    expect(id).not.toBe(ids.uniqueId("Flight"));
    expect(ids.isIdOf("Flight", id)).toBe(true);
    expect(ids.isIdOf("Room", id)).toBe(false);
    expect(await isObjectIdOf("Flight", id)).toBe(true);
    expect(ids.isIdOf("Flight", "0".repeat(64))).toBe(false);
  });
});
