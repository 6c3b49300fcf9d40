/**
 * The IDE's modules for one load of an app: the app's runtime (server/app-runtime/, built into module
 * text by its `?app-module` imports, see server/app-runtime/README.md) with this load's values filled
 * in.
 *
 * Per-load values (the channel secret, the app's main module, markers, a Worker project's bindings
 * and class names) go in at the placeholders protocol.ts names, never by writing code around them:
 * `fillPlaceholders` checks that the text has exactly the placeholders it is given, each once, and
 * puts the value's JSON in its place. The one module written here is a Worker project's main module,
 * a list of re-exports whose every name is a JSON string.
 */
import type { ProjectConfig } from "../../../shared/project-config";
import appClassText from "../../app-runtime/app-class.ts?app-module";
import beaconText from "../../app-runtime/beacon.ts?app-module";
import dumpText from "../../app-runtime/data/dump.ts?app-module";
import kvText from "../../app-runtime/data/kv.ts?app-module";
import sqlConsoleText from "../../app-runtime/data/sql-console.ts?app-module";
import sqlStatementsText from "../../app-runtime/data/sql-statements.ts?app-module";
import guardText from "../../app-runtime/guard.ts?app-module";
import hibernationText from "../../app-runtime/hibernation.ts?app-module";
import listenersText from "../../app-runtime/listeners.ts?app-module";
import logLinesText from "../../app-runtime/logs/log-lines.ts?app-module";
import logsText from "../../app-runtime/logs/logs.ts?app-module";
import terminalTextText from "../../app-runtime/logs/terminal-text.ts?app-module";
import meterText from "../../app-runtime/meter/meter.ts?app-module";
import meterCountsText from "../../app-runtime/meter/meter-counts.ts?app-module";
import meterStorageText from "../../app-runtime/meter/meter-storage.ts?app-module";
import socketBoundsText from "../../app-runtime/meter/socket-bounds.ts?app-module";
import nativeCallbacksText from "../../app-runtime/native-callbacks.ts?app-module";
import idsText from "../../app-runtime/objects/ids.ts?app-module";
import objectClassText from "../../app-runtime/objects/object-class.ts?app-module";
import objectsText from "../../app-runtime/objects/objects.ts?app-module";
import workerMainText from "../../app-runtime/objects/worker-main.ts?app-module";
import originalsText from "../../app-runtime/originals.ts?app-module";
import {
  classModule,
  GUARD_MODULE,
  type GuardMarkers,
  MAIN_MODULE,
  PLACEHOLDERS,
  runtimeModule,
  USER_MAIN_SPECIFIER,
} from "../../app-runtime/protocol";
import protocolText from "../../app-runtime/protocol.ts?app-module";
import responsesText from "../../app-runtime/responses.ts?app-module";
import shapesText from "../../app-runtime/shapes.ts?app-module";
import storageAlarmsText from "../../app-runtime/storage-alarms.ts?app-module";
import wholeBodiesText from "../../app-runtime/whole-bodies.ts?app-module";
import wrapperText from "../../app-runtime/wrapper.ts?app-module";

/** What one load of an app gets: the channel secret its answers carry, and the guard's markers. */
export interface LoadOptions {
  channel: string;
  /** Print activity markers for this project and code (only under the dev launcher). */
  markers: GuardMarkers | null;
}

/** Modules every app gets as they are built (no per-load values), by the name the loader gives them. */
const SHARED: Record<string, string> = {
  [runtimeModule("protocol")]: protocolText,
  [runtimeModule("beacon")]: beaconText,
  [runtimeModule("native-callbacks")]: nativeCallbacksText,
  [runtimeModule("listeners")]: listenersText,
  [runtimeModule("originals")]: originalsText,
  [runtimeModule("whole-bodies")]: wholeBodiesText,
  [runtimeModule("terminal-text")]: terminalTextText,
  [runtimeModule("log-lines")]: logLinesText,
  [runtimeModule("logs")]: logsText,
  [runtimeModule("sql-statements")]: sqlStatementsText,
  [runtimeModule("meter-counts")]: meterCountsText,
  [runtimeModule("socket-bounds")]: socketBoundsText,
  [runtimeModule("meter-storage")]: meterStorageText,
  [runtimeModule("meter")]: meterText,
  [runtimeModule("responses")]: responsesText,
  [runtimeModule("shapes")]: shapesText,
  [runtimeModule("sql-console")]: sqlConsoleText,
  [runtimeModule("kv")]: kvText,
  [runtimeModule("dump")]: dumpText,
  [runtimeModule("hibernation")]: hibernationText,
  [runtimeModule("storage-alarms")]: storageAlarmsText,
  [runtimeModule("app-class")]: appClassText,
};
/** A Worker project's besides (objects.ts gets its bindings per load). */
const WORKER_SHARED: Record<string, string> = {
  [runtimeModule("ids")]: idsText,
};
const WORKER_MODULE = runtimeModule("worker-main");

/** The placeholders a module's text holds: identifiers, and string literals used as import specifiers. */
const PLACEHOLDER = /__FACET_IDE_[A-Z_]+__|"facet-ide:[a-z-]+"/g;
const USER_MAIN = JSON.stringify(USER_MAIN_SPECIFIER);

/**
 * `text` with each placeholder of `values` replaced by the value's JSON. Throws unless the text holds
 * exactly the placeholders given, each once: a module is never loaded with one unfilled.
 */
export function fillPlaceholders(text: string, values: Record<string, unknown>): string {
  const found = [...text.matchAll(PLACEHOLDER)];
  const names = found.map((m) => m[0]).sort();
  const expected = Object.keys(values).sort();
  if (names.join("\n") !== expected.join("\n")) {
    throw new Error(`placeholders ${names.join(", ")} found where ${expected.join(", ")} were to be filled in`);
  }
  let out = "";
  let last = 0;
  for (const match of found) {
    const json = JSON.stringify(values[match[0]]);
    if (typeof json !== "string") throw new Error(`${match[0]}: no JSON value`);
    out += text.slice(last, match.index) + json;
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}

/**
 * The IDE's modules for a load of an app whose main module is `mainModule` (a loader module name):
 * for an App project (`config` null) the wrapper as main; for a Worker project its Worker, its
 * namespaces and a wrapper around each bound class (every object gets what the App gets: the same
 * guard, channel secret and fixed methods), re-exported by the main module.
 */
export function runtimeModules(
  mainModule: string,
  config: ProjectConfig | null,
  { channel, markers }: LoadOptions,
): Record<string, { js: string }> {
  const userMain = `./${mainModule}`;
  const modules: Record<string, { js: string }> = {};
  for (const [name, js] of Object.entries(SHARED)) modules[name] = { js };
  modules[GUARD_MODULE] = { js: fillPlaceholders(guardText, { [PLACEHOLDERS.markers]: markers }) };
  if (!config) {
    modules[MAIN_MODULE] = {
      js: fillPlaceholders(wrapperText, { [PLACEHOLDERS.channel]: channel, [USER_MAIN]: userMain }),
    };
    return modules;
  }
  for (const [name, js] of Object.entries(WORKER_SHARED)) modules[name] = { js };
  modules[runtimeModule("objects")] = {
    js: fillPlaceholders(objectsText, {
      [PLACEHOLDERS.bindings]: config.bindings.map(({ name, className }) => ({ name, className })),
      [PLACEHOLDERS.classes]: config.classes,
      [PLACEHOLDERS.assetsBinding]: config.assets?.binding ?? null,
    }),
  };
  modules[WORKER_MODULE] = {
    js: fillPlaceholders(workerMainText, { [PLACEHOLDERS.channel]: channel, [USER_MAIN]: userMain }),
  };
  // Every Durable Object class, bound or not: an unbound one is reached through ctx.exports.
  const classes = config.classes;
  for (const className of classes) {
    modules[classModule(className)] = {
      js: fillPlaceholders(objectClassText, {
        [PLACEHOLDERS.channel]: channel,
        [PLACEHOLDERS.className]: className,
        [USER_MAIN]: userMain,
      }),
    };
  }
  modules[MAIN_MODULE] = { js: workerMainModule(classes) };
  return modules;
}

/** A Worker project's main module: its Worker as the default export, and each wrapped class under its name. */
function workerMainModule(classes: string[]): string {
  const from = (module: string) => JSON.stringify(`./${module}`);
  return [
    "// The Worker project's main module: its Worker, and each class its bindings name (wrapped).",
    `export { default } from ${from(WORKER_MODULE)};`,
    ...classes.map((name) => `export { App as ${JSON.stringify(name)} } from ${from(classModule(name))};`),
    "",
  ].join("\n");
}
