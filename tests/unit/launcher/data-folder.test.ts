/** The data folder as the launcher tells the runtime about it (scripts/data-folder.mjs), on the desk. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataFolder, dataFolderCeiling } from "../../../scripts/data-folder.mjs";
import { answerDesk, VerdictDesk } from "../../../scripts/hung-marker.mjs";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "facet-ide-data-folder-"));
  dirs.push(dir);
  return dir;
}

const ID = "ab".repeat(32);

describe("the data folder on the desk", () => {
  it("says which objects have storage, by class, without making any", () => {
    const dir = dataDir();
    const folder = new DataFolder(dir);
    expect(folder.hasObject("ProjectSupervisor", ID)).toBe(false);
    mkdirSync(join(dir, "v3", "do", "facet-ide-ProjectSupervisor"), { recursive: true });
    writeFileSync(join(dir, "v3", "do", "facet-ide-ProjectSupervisor", `${ID}.sqlite`), "x");
    expect(folder.hasObject("ProjectSupervisor", ID)).toBe(true);
    expect(folder.hasObject("KeyRegistry", ID)).toBe(false);
    expect(folder.hasObject("ProjectSupervisor", "cd".repeat(32))).toBe(false);
  });

  it("measures the bytes it holds each time it is asked", () => {
    const dir = dataDir();
    const folder = new DataFolder(dir);
    expect(folder.bytes()).toBe(0);
    mkdirSync(join(dir, "v3", "do", "x"), { recursive: true });
    writeFileSync(join(dir, "v3", "do", "x", "a.sqlite"), Buffer.alloc(1000));
    writeFileSync(join(dir, "b"), Buffer.alloc(24));
    expect(folder.bytes()).toBe(1024);
  });

  it("answers its routes under the desk's secret only, and refuses what is not an object ID", () => {
    const dir = dataDir();
    const folder = new DataFolder(dir, 5 * 1024 * 1024);
    const desk = VerdictDesk.in(dir);
    const ask = (method: string, path: string) => answerDesk(desk, "s3cret", { method, path }, () => {}, folder);
    expect(ask("GET", `/s3cret/objects/ProjectSupervisor/${ID}`)).toEqual({ status: 200, json: { stored: false } });
    expect(ask("GET", "/s3cret/data-folder")).toEqual({ status: 200, json: { bytes: 0, ceiling: 5 * 1024 * 1024 } });
    expect(ask("GET", `/wrong/objects/ProjectSupervisor/${ID}`).status).toBe(404);
    expect(ask("GET", "/s3cret/objects/ProjectSupervisor/../../etc").status).toBe(404);
    expect(ask("GET", `/s3cret/objects/..%2F/${ID}`).status).toBe(404);
    expect(ask("POST", "/s3cret/data-folder").status).toBe(405);
  });
});

describe("the operator's ceiling on the data folder", () => {
  it("is FACET_IDE_MAX_DATA_FOLDER_MB in MiB, 20 GiB unset, and the default for a value that is not one", () => {
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    expect(dataFolderCeiling("", warn)).toBe(20 * 1024 ** 3);
    expect(dataFolderCeiling("512", warn)).toBe(512 * 1024 ** 2);
    expect(warnings).toEqual([]);
    for (const bad of ["0", "-1", "1.5", "lots"]) expect(dataFolderCeiling(bad, warn)).toBe(20 * 1024 ** 3);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/FACET_IDE_MAX_DATA_FOLDER_MB must be a whole number/);
  });
});
