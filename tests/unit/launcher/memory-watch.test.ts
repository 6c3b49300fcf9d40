/** The launcher's check of workerd's mapped data (scripts/memory-watch.mjs). */
import { describe, expect, it } from "vitest";
import { dataCheck } from "../../../scripts/memory-watch.mjs";

describe("dataCheck", () => {
  const limit = 2560;

  it("leaves workerd alone below 85 % of the cap", () => {
    expect(dataCheck(2000, 1990, limit)).toBe("fine");
  });

  it("restarts it past 85 % when old versions piled up (a few MB a save)", () => {
    expect(dataCheck(2200, 2150, limit)).toBe("restart");
    // The first check after the launcher started has nothing to compare with.
    expect(dataCheck(2200, Number.POSITIVE_INFINITY, limit)).toBe("restart");
  });

  it("waits while an app allocates hundreds of MB a second, so its crash or freeze is blamed on it", () => {
    expect(dataCheck(2200, 1500, limit)).toBe("wait");
    // Once the growth stops, the restart comes at the next check.
    expect(dataCheck(2210, 2200, limit)).toBe("restart");
  });
});
