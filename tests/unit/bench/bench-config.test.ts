/**
 * The bench's runtime (bench/wrangler.bench.jsonc) serves the real server beside the baselines, so it
 * must give the server every binding the root wrangler.jsonc gives it: a binding missing there only
 * shows as a 500 in the middle of `npm run bench`, which CI does not run.
 */
import { readFileSync } from "node:fs";
import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";

interface WranglerConfig {
  durable_objects?: { bindings?: { name: string; class_name: string }[] };
  worker_loaders?: { binding: string }[];
}

const read = (path: string): WranglerConfig =>
  parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));

describe("the bench's runtime", () => {
  it("binds every Durable Object and Worker Loader the server's wrangler.jsonc binds", () => {
    const root = read("wrangler.jsonc");
    const bench = read("bench/wrangler.bench.jsonc");
    const objects = (c: WranglerConfig) => (c.durable_objects?.bindings ?? []).map((b) => `${b.name}=${b.class_name}`);
    const loaders = (c: WranglerConfig) => (c.worker_loaders ?? []).map((b) => b.binding);
    expect(objects(root).length).toBeGreaterThan(0);
    expect(objects(bench)).toEqual(expect.arrayContaining(objects(root)));
    expect(loaders(bench)).toEqual(expect.arrayContaining(loaders(root)));
  });
});
