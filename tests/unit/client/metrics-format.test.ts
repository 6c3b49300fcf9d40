import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatMs, formatUsd } from "../../../client/metrics/format";

describe("the Metrics view's numbers", () => {
  it("writes sizes in binary units", () => {
    expect(formatBytes(null)).toBe("–");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(8192)).toBe("8.0 KiB");
    expect(formatBytes(1_073_741_824)).toBe("1.0 GiB");
    expect(formatBytes(300 * 1_048_576)).toBe("300 MiB");
  });

  it("writes counts, latencies and dollars short but exact enough", () => {
    expect(formatCount(1234)).toBe("1,234");
    expect(formatCount(45_600)).toBe("45.6 k");
    expect(formatCount(2_500_000)).toBe("2.5 M");
    expect(formatMs(null)).toBe("–");
    expect(formatMs(3)).toBe("3 ms");
    expect(formatMs(17.5)).toBe("18 ms");
    expect(formatMs(2500)).toBe("2.50 s");
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(0.000123)).toBe("$0.00012");
    expect(formatUsd(3.456)).toBe("$3.46");
  });
});
