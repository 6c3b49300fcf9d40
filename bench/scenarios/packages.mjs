// Scenario 10: saves of an app with npm packages (docs/packages.md), from the fixture registry
// (tests/fixtures/registry/), against the same app without them: the save to live once hono, nanoid
// and zod are in the package cache, and the first save with the cache cold.
import { appSource } from "../client.mjs";
import { round } from "../stats.mjs";
import { oneSave, saveToLive } from "./saves.mjs";

const DEPENDENCIES = { hono: "^4.0.0", nanoid: "^5.0.0", zod: "^3.22.0" };
// Used, so that the compile step keeps the imports and the packages' modules load with the app.
const IMPORTS =
  'import { Hono } from "hono";\nimport { nanoid } from "nanoid";\nimport { z } from "zod";\nvoid [Hono, nanoid, z];\n';

const withPackages = (rev) => ({
  "package.json": JSON.stringify({ dependencies: DEPENDENCIES }),
  "app.ts": IMPORTS + appSource(rev),
});
const withoutPackages = (rev) => ({ "app.ts": appSource(rev) });

const saverOf = (project, files) => ({
  save: async (rev) => (await project.save(files(rev))).version,
  get: () => project.get("/"),
  versionHeader: "x-app-version",
});

/**
 * @param {(name: string) => Promise<import("../client.mjs").Project>} create a project on npm start
 * @param {{ count: number, warmup: number }} options
 */
export async function packageSaves(create, options) {
  const cold = await oneSave(saverOf(await create("bench-packages-cold"), withPackages), 1);
  const savers = {
    packages: saverOf(await create("bench-packages"), withPackages),
    plain: saverOf(await create("bench-packages-plain"), withoutPackages),
  };
  const { results } = await saveToLive(savers, { ...options, firstRev: 2 });
  return { coldFirstSaveMs: round(cold.totalMs, 0), ...results };
}
