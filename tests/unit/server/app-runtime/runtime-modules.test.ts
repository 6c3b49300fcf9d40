/**
 * The app's runtime as the loader hands it over: the build of each module (server/app-runtime/build),
 * the names the protocol gives them, and the per-load values filled in at their placeholders.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  appModuleText,
  RUNTIME_DIR,
  runtimeFilesByName,
  runtimeModuleName,
} from "../../../../server/app-runtime/build/app-modules.mjs";
import {
  BINDING_PREFIX,
  GUARD_MODULE,
  MAIN_MODULE,
  MODULE_PREFIX,
  PLACEHOLDERS,
  runtimeModule,
  USER_MAIN_SPECIFIER,
} from "../../../../server/app-runtime/protocol";
import { fillPlaceholders, runtimeModules } from "../../../../server/supervisor/app-host/runtime-modules";
import { RESERVED_ENV_PREFIX, RESERVED_MODULE_PREFIX } from "../../../../shared/api";
import { readProjectConfig } from "../../../../shared/project-config";

const SECRET = "0123456789abcdef0123456789abcdef";
const options = { channel: SECRET, markers: { projectId: "p1", codeId: "c1", tag: "t1", beacon: null } };
const workerConfig = (() => {
  const read = readProjectConfig({
    "wrangler.jsonc": JSON.stringify({
      main: "src/index.ts",
      durable_objects: {
        bindings: [
          { name: "FLIGHTS", class_name: "Flight" },
          { name: "ROOMS", class_name: "Room" },
        ],
      },
      assets: { directory: "public", binding: "ASSETS" },
    }),
    "src/index.ts": "",
  });
  if (!read.ok || !read.config) throw new Error("the test's wrangler.jsonc does not read");
  return read.config;
})();
const appLoad = runtimeModules("app.js", null, options);
const workerLoad = runtimeModules("src/index.js", workerConfig, options);

/** The IDE's modules `js` imports (`./__facet_ide_x.js`). */
const importsOf = (js: string) =>
  [...js.matchAll(/(?:from|import)\s+"\.\/(__facet_ide_[^"]+)"/g)].map((m) => m[1] as string);

describe("the runtime's modules", () => {
  it("are named as the protocol names them, inside the names projects may not use", () => {
    expect(runtimeModuleName(join(RUNTIME_DIR, "guard.ts"))).toBe(GUARD_MODULE);
    expect(runtimeModuleName(join(RUNTIME_DIR, "data", "sql-statements.ts"))).toBe(runtimeModule("sql-statements"));
    expect(MODULE_PREFIX.startsWith(RESERVED_MODULE_PREFIX)).toBe(true);
    expect(BINDING_PREFIX.startsWith(RESERVED_ENV_PREFIX)).toBe(true);
  });

  it("are type-stripped line for line, with imports of their siblings renamed", () => {
    const file = join(RUNTIME_DIR, "data", "sql-console.ts");
    const text = appModuleText(file);
    expect(text).toContain('from "./__facet_ide_originals.js"');
    expect(text).not.toContain(": SqlStorage");
    expect(text).toContain("export function runSql(sql, query, params, maxRows)");
    // Line for line, so a stack trace's line is the source's.
    expect(text.split("\n")).toHaveLength(readFileSync(file, "utf8").split("\n").length);
  });

  it("each load what they import, and every module of the runtime is loaded by an App or a Worker project", () => {
    for (const load of [appLoad, workerLoad]) {
      for (const [name, { js }] of Object.entries(load)) {
        for (const imported of importsOf(js)) expect(load, `${name} imports ${imported}`).toHaveProperty([imported]);
      }
    }
    // The entry modules are loaded under other names; the checks of what comes back are the host's;
    // the refusal of computed names comes with the packages that need it (server/packages/modules.ts).
    const notLoaded = new Set([
      "wrapper.ts",
      "worker-main.ts",
      "object-class.ts",
      "protocol-checks.ts",
      "refused-names.ts",
    ]);
    const loaded = new Set([...Object.keys(appLoad), ...Object.keys(workerLoad)]);
    for (const [name, file] of runtimeFilesByName()) {
      if (!notLoaded.has(basename(file))) expect(loaded, file).toContain(name);
    }
  });

  it("refuse imports that do not exist in the app's isolate, and the app's module before theirs", () => {
    const dir = mkdtempSync(join(tmpdir(), "facet-ide-runtime-"));
    const moduleWith = (source: string) => {
      const file = join(dir, `m${Math.random().toString(36).slice(2)}.ts`);
      writeFileSync(file, source);
      return () => appModuleText(file, dir);
    };
    writeFileSync(join(dir, "sibling.ts"), "export const x = 1;\n");
    expect(moduleWith('import { x } from "./sibling";\nexport const y = x;\n')()).toContain(
      'from "./__facet_ide_sibling.js"',
    );
    expect(moduleWith('import { x } from "../shared/api";\nexport const y = x;\n')).toThrow(
      /only the other runtime modules/,
    );
    expect(moduleWith('import { x } from "./missing";\nexport const y = x;\n')).toThrow(
      /only the other runtime modules/,
    );
    expect(moduleWith('import { z } from "zod";\nexport const y = z;\n')).toThrow(
      /does not exist in the app's isolate/,
    );
    expect(moduleWith('export const y = () => import("./sibling");\n')).toThrow(/imports statically/);
    expect(
      moduleWith(
        `import * as app from "${USER_MAIN_SPECIFIER}";\nimport { x } from "./sibling";\nexport const y = [app, x];\n`,
      ),
    ).toThrow(/before the app's main module/);
  });
});

describe("per-load values", () => {
  it("go in at their placeholders as JSON, each exactly once", () => {
    expect(
      fillPlaceholders("const A = __FACET_IDE_A__; f(__FACET_IDE_B__);", {
        __FACET_IDE_A__: 'x"y',
        __FACET_IDE_B__: { n: [1, null] },
      }),
    ).toBe('const A = "x\\"y"; f({"n":[1,null]});');
    expect(fillPlaceholders('import * as m from "facet-ide:user-main";', { '"facet-ide:user-main"': "./app.js" })).toBe(
      'import * as m from "./app.js";',
    );
    expect(() => fillPlaceholders("__FACET_IDE_A__ + __FACET_IDE_A__", { __FACET_IDE_A__: 1 })).toThrow(/placeholders/);
    expect(() => fillPlaceholders("__FACET_IDE_A__", { __FACET_IDE_A__: 1, __FACET_IDE_B__: 2 })).toThrow(
      /placeholders/,
    );
    expect(() => fillPlaceholders("__FACET_IDE_A__ + __FACET_IDE_B__", { __FACET_IDE_A__: 1 })).toThrow(/placeholders/);
    expect(() => fillPlaceholders("__FACET_IDE_A__", { __FACET_IDE_A__: undefined })).toThrow(/no JSON value/);
  });

  it("leave no placeholder unfilled, and the channel secret only as a module constant", () => {
    for (const load of [appLoad, workerLoad]) {
      for (const [name, { js }] of Object.entries(load)) {
        if (name === runtimeModule("protocol")) continue; // it declares the placeholders' names
        expect(js, name).not.toMatch(/__FACET_IDE_[A-Z_]+__|"facet-ide:/);
        const secrets = js.split(SECRET).length - 1;
        if (secrets > 0) {
          expect(secrets, name).toBe(1);
          expect(js, name).toContain(`const CHANNEL = "${SECRET}";`);
        }
      }
    }
    expect(appLoad[MAIN_MODULE]?.js).toContain(`const CHANNEL = "${SECRET}";`);
    expect(appLoad[MAIN_MODULE]?.js).toContain('import * as userModule from "./app.js";');
    expect(appLoad[GUARD_MODULE]?.js).toContain(
      'const MARKERS = {"projectId":"p1","codeId":"c1","tag":"t1","beacon":null};',
    );
    expect(runtimeModules("app.js", null, { channel: SECRET, markers: null })[GUARD_MODULE]?.js).toContain(
      "const MARKERS = null;",
    );
  });

  it("give a Worker project its namespaces, a wrapped module per class, and a main module that exports them", () => {
    expect(workerLoad[runtimeModule("objects")]?.js).toContain(
      'const BINDINGS = [{"name":"FLIGHTS","className":"Flight"},{"name":"ROOMS","className":"Room"}];',
    );
    expect(workerLoad[runtimeModule("objects")]?.js).toContain('const ASSETS_BINDING = "ASSETS";');
    expect(workerLoad["__facet_ide_class_Flight.js"]?.js).toContain('const CLASS_NAME = "Flight";');
    expect(workerLoad["__facet_ide_class_Room.js"]?.js).toContain('import * as userModule from "./src/index.js";');
    expect(workerLoad[MAIN_MODULE]?.js).toBe(
      [
        "// The Worker project's main module: its Worker, and each class its bindings name (wrapped).",
        'export { default } from "./__facet_ide_worker-main.js";',
        'export { App as "Flight" } from "./__facet_ide_class_Flight.js";',
        'export { App as "Room" } from "./__facet_ide_class_Room.js";',
        "",
      ].join("\n"),
    );
    expect(Object.keys(appLoad)).not.toContain(runtimeModule("objects"));
    expect(PLACEHOLDERS.channel).toBe("__FACET_IDE_CHANNEL__");
  });
});
