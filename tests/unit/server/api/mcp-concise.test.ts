/**
 * What keeps the MCP tools' answers and declarations small: the tool listing, get_metrics' summary of
 * a window, get_draft's file sizes.
 */
import { describe, expect, it } from "vitest";
import { toolListing } from "../../../../server/mcp/tool-list";
import { tools } from "../../../../server/mcp/tools";
import { metricsSummary, RECENT_BUCKETS } from "../../../../server/mcp/tools/metrics-tools";
import { fileSizes } from "../../../../server/mcp/tools/time-travel-tools";
import { ProjectId } from "../../../../shared/api";
import { MetricsResponse, type MetricsSeries } from "../../../../shared/metrics";

describe("the tool listing", () => {
  const listing = toolListing(tools);
  const text = JSON.stringify(listing);

  it("lists every tool with its input schema and annotations, and no output schema", () => {
    expect(listing.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    for (const tool of listing.tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool).not.toHaveProperty("outputSchema");
      expect(tool.annotations).toHaveProperty("readOnlyHint");
    }
    const write = listing.tools.find((t) => t.name === "write_code");
    expect(write?.inputSchema.required).toEqual(expect.arrayContaining(["project", "files"]));
  });

  it("leaves out what says nothing: $schema lines, safe-integer bounds, the project id's pattern", () => {
    expect(text).not.toContain("$schema");
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(text).not.toContain(ProjectId.toJSONSchema().pattern ?? "no pattern");
    // Other bounds stay.
    const readRows = listing.tools.find((t) => t.name === "read_rows");
    expect(readRows?.inputSchema.properties?.limit).toMatchObject({ minimum: 1, maximum: 500 });
  });

  it("is under 40 KB, with room for more tools", () => {
    expect(new TextEncoder().encode(text).length).toBeLessThan(40 * 1024);
  });
});

const minutes = 1_440;
function dayOfMetrics(): MetricsResponse {
  const column = (f: (i: number) => number) => Array.from({ length: minutes }, (_, i) => f(i));
  const zeros = column(() => 0);
  const series: MetricsSeries = {
    at: column((i) => i * 60_000),
    requests: column((i) => i % 7),
    errors: zeros,
    rateLimited: zeros,
    exceptions: column((i) => (i === minutes - 1 ? 2 : 0)),
    wsIn: zeros,
    wsOut: zeros,
    alarms: zeros,
    rowsRead: column((i) => i),
    rowsWritten: zeros,
    subrequests: zeros,
    writesRefused: zeros,
    logLines: zeros,
    logLinesDropped: zeros,
    p50Ms: Array.from({ length: minutes }, (_, i) => (i % 7 ? 3 : null)),
    p95Ms: zeros,
    databaseBytes: zeros,
    snapshotBytes: zeros,
  };
  return { window: "24h", series } as unknown as MetricsResponse;
}

describe("metricsSummary", () => {
  it("drops the series for the last buckets, each with the figures that were not 0", () => {
    const summary = metricsSummary(dayOfMetrics());
    expect(summary).not.toHaveProperty("series");
    expect(summary.window).toBe("24h");
    expect(summary.recent).toHaveLength(RECENT_BUCKETS);
    const last = minutes - 1;
    expect(summary.recent.at(-1)).toEqual({
      at: last * 60_000,
      requests: last % 7,
      exceptions: 2,
      rowsRead: last,
      p50Ms: 3,
    });
    expect(summary.recent[0]?.at).toBe((minutes - RECENT_BUCKETS) * 60_000);
    // A bucket where nothing happened is its start alone.
    const quiet = metricsSummary(dayOfMetrics(), 1_440).recent[0];
    expect(quiet).toEqual({ at: 0 });
  });

  it("answers the whole window when it is shorter than the buckets asked for", () => {
    const empty = { ...dayOfMetrics(), series: { ...dayOfMetrics().series, at: [] } } as MetricsResponse;
    expect(metricsSummary(empty).recent).toEqual([]);
    expect(MetricsResponse.shape.series.safeParse(dayOfMetrics().series).success).toBe(true);
  });
});

describe("fileSizes", () => {
  it("gives each file's size in UTF-8 bytes", () => {
    expect(fileSizes({ "app.ts": "abc", "é.md": "é€" })).toEqual({ "app.ts": 3, "é.md": 5 });
  });
});
