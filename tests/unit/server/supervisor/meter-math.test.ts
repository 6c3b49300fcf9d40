import { afterEach, describe, expect, it, vi } from "vitest";
import {
  addSample,
  binOf,
  type Histogram,
  quantile,
  valueOfBin,
} from "../../../../server/supervisor/metering/latency-histogram";
import { defaultLimits } from "../../../../server/supervisor/metering/limits";
import { emptyBucket, mergeBucket, parseBucket, seriesOf } from "../../../../server/supervisor/metering/meter-buckets";
import { metricsReport } from "../../../../server/supervisor/metering/meter-report";
import { estimateCost, PRICES } from "../../../../server/supervisor/metering/pricing";
import { LimitNotice, LogBudget, RequestRate } from "../../../../server/supervisor/metering/rate-limit";

describe("latency histogram", () => {
  it("keeps milliseconds below 10 exact and larger ones within 5 %", () => {
    for (let ms = 0; ms < 10; ms++) expect(valueOfBin(binOf(ms))).toBe(ms);
    for (const ms of [10, 17, 99, 250, 1_234, 30_000, 600_000]) {
      expect(Math.abs(valueOfBin(binOf(ms)) - ms) / ms).toBeLessThan(0.05);
    }
    expect(binOf(600_000)).toBeLessThan(140);
  });

  it("reads p50 and p95 of the samples, and nothing from no samples", () => {
    const h: Histogram = {};
    expect(quantile(h, 0.5)).toBeNull();
    for (let i = 1; i <= 100; i++) addSample(h, i);
    expect(quantile(h, 0.5)).toBeGreaterThanOrEqual(48);
    expect(quantile(h, 0.5)).toBeLessThanOrEqual(52);
    expect(quantile(h, 0.95)).toBeGreaterThanOrEqual(91);
    expect(quantile(h, 0.95)).toBeLessThanOrEqual(99);
    const one: Histogram = {};
    addSample(one, 3);
    expect(quantile(one, 0.95)).toBe(3);
  });
});

describe("meter buckets", () => {
  it("add up counts, histograms and the latest database size", () => {
    const a = emptyBucket();
    a.requests = 2;
    a.status = [0, 2, 0, 0, 0];
    addSample(a.latency, 5);
    a.databaseBytes = 100;
    a.databaseBytesMax = 100;
    const b = emptyBucket();
    b.requests = 1;
    b.status = [0, 0, 0, 0, 1];
    addSample(b.latency, 50);
    b.databaseBytes = 80;
    b.databaseBytesMax = 120;
    mergeBucket(a, b);
    expect(a.requests).toBe(3);
    expect(a.status).toEqual([0, 2, 0, 0, 1]);
    expect(quantile(a.latency, 1)).toBeGreaterThan(45);
    expect(a.databaseBytes).toBe(80);
    expect(a.databaseBytesMax).toBe(120);
  });

  it("read a stored row leniently: missing fields are zero, junk is an empty bucket", () => {
    expect(parseBucket('{"requests": 4}').requests).toBe(4);
    expect(parseBucket('{"requests": 4}').status).toEqual([0, 0, 0, 0, 0]);
    expect(parseBucket("not json")).toEqual(emptyBucket());
    expect(parseBucket('{"requests": -3}').requests).toBe(0);
  });

  it("make a series with an entry per step and the database size carried forward", () => {
    const buckets = new Map([[120_000, { ...emptyBucket(), requests: 7, databaseBytes: 4096 }]]);
    const series = seriesOf(buckets, 0, 60_000, 4, { databaseBytes: 1000, snapshotBytes: null });
    expect(series.at).toEqual([0, 60_000, 120_000, 180_000]);
    expect(series.requests).toEqual([0, 0, 7, 0]);
    expect(series.databaseBytes).toEqual([1000, 1000, 4096, 4096]);
    expect(series.p50Ms).toEqual([null, null, null, null]);
  });
});

describe("cost estimate", () => {
  it("prices each unit at the published rate and adds them up", () => {
    const cost = estimateCost({
      requests: 2_000_000,
      rateLimited: 0,
      wsIn: 40,
      alarms: 0,
      rowsRead: 1_000_000,
      rowsWritten: 1_000_000,
      latencySumMs: 0,
      busyMs: 0,
      saves: 0,
      storageByteMs: 0,
      snapshotByteMs: 0,
    });
    const line = (item: string) => cost.lines.find((l) => l.item === item);
    expect(line("Workers requests")?.usd).toBeCloseTo(0.6, 6);
    expect(line("Durable Object requests")?.quantity).toBe(2_000_002);
    expect(line("SQLite rows written")?.usd).toBe(PRICES.rowsWritten.price);
    expect(line("SQLite rows read")?.usd).toBe(PRICES.rowsRead.price);
    expect(cost.totalUsd).toBeCloseTo(
      cost.lines.reduce((sum, l) => sum + l.usd, 0),
      6,
    );
    expect(cost.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("prices an object's share: its calls as Durable Object requests, its calls' time as duration", () => {
    const usage = {
      requests: 1_000,
      rateLimited: 0,
      wsIn: 0,
      alarms: 2,
      rowsRead: 0,
      rowsWritten: 0,
      latencySumMs: 8_000,
      busyMs: 0,
      saves: 3,
      storageByteMs: 0,
      snapshotByteMs: 0,
    };
    const line = (cost: ReturnType<typeof estimateCost>, item: string) =>
      cost.lines.find((l) => l.item === item)?.quantity;
    const object = estimateCost({ ...usage, object: true });
    expect(line(object, "Workers requests")).toBe(0);
    expect(line(object, "Dynamic Worker requests")).toBe(0);
    expect(line(object, "Dynamic Workers created")).toBe(0);
    expect(line(object, "Durable Object requests")).toBe(1_002);
    expect(line(object, "Durable Object duration")).toBeCloseTo(8 * 0.128, 9);
    expect(object.notes[0]).toContain("One Durable Object's share");
    const project = estimateCost(usage);
    expect(line(project, "Workers requests")).toBe(1_000);
    expect(line(project, "Durable Object duration")).toBe(0);
  });
});

describe("metrics report", () => {
  it("adds the window's buckets up, carries the size forward, and prices an object's figures as its share", () => {
    const minute = 60_000;
    const first = emptyBucket();
    first.requests = 2;
    first.status = [0, 2, 0, 0, 0];
    const second = emptyBucket();
    second.requests = 1;
    second.status = [0, 0, 0, 0, 1];
    second.databaseBytes = 4096;
    const buckets = new Map([
      [0, first],
      [2 * minute, second],
    ]);
    const span = { window: "1h" as const, step: minute, count: 3, from: 0, now: 3 * minute };
    const limits = defaultLimits(undefined);
    const project = metricsReport(span, buckets, { databaseBytes: 1024, snapshotBytes: null }, limits, null);
    expect(project.object).toBeNull();
    expect(project.totals).toMatchObject({ requests: 3, errors: 1, databaseBytes: 4096 });
    expect(project.series.requests).toEqual([2, 0, 1]);
    expect(project.series.databaseBytes).toEqual([1024, 1024, 4096]);
    const requestsLine = (m: typeof project) => m.cost.lines.find((l) => l.item === "Workers requests")?.quantity;
    expect(requestsLine(project)).toBe(3);
    const object = metricsReport(span, buckets, { databaseBytes: null, snapshotBytes: null }, limits, "Room:a");
    expect(object.object).toBe("Room:a");
    expect(requestsLine(object)).toBe(0);
  });
});

describe("rate limits", () => {
  afterEach(() => vi.useRealTimers());

  it("let a burst of the limit through, then one request per 60/limit seconds", () => {
    const rate = new RequestRate();
    const t = 1_000_000;
    for (let i = 0; i < 60; i++) expect(rate.take(60, t)).toBeNull();
    expect(rate.take(60, t)).toBe(1);
    expect(rate.take(60, t + 500)).toBe(1);
    expect(rate.take(60, t + 1_100)).toBeNull();
    expect(rate.take(60, t + 1_200)).toBe(1);
    const slow = new RequestRate();
    expect(slow.take(1, t)).toBeNull();
    expect(slow.take(1, t)).toBe(60);
  });

  it("keep console lines to the budget of each clock minute", () => {
    const budget = new LogBudget();
    expect(budget.admit(3, 5, 60_000)).toBe(3);
    expect(budget.admit(4, 5, 61_000)).toBe(2);
    expect(budget.admit(4, 5, 62_000)).toBe(0);
    expect(budget.admit(4, 5, 120_000)).toBe(4);
  });

  it("say a limit was hit once, then sum up every interval while it keeps being hit, then go quiet", () => {
    vi.useFakeTimers();
    const said: string[] = [];
    const notice = new LimitNotice(10_000, (m) => said.push(m));
    const first = () => "first";
    const summary = (n: number) => `${n} more`;
    notice.hit(1, first, summary);
    notice.hit(1, first, summary);
    notice.hit(3, first, summary);
    expect(said).toEqual(["first"]);
    expect(notice.active).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(said).toEqual(["first", "4 more"]);
    vi.advanceTimersByTime(10_000);
    expect(notice.active).toBe(false);
    notice.hit(1, first, summary);
    expect(said).toEqual(["first", "4 more", "first"]);
  });
});
