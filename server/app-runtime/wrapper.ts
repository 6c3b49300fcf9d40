/**
 * The main module of an App project (`__facet_ide_main.js`): exports `App`, the user's class wrapped
 * for the runtime (app-class.ts), and a default export that answers the supervisor's probe, which
 * proves the modules evaluate before a version goes live (its answer also hands back what the modules
 * logged while starting, when there is no bridge yet).
 *
 * The IDE's modules are imported first, in this order (the guard, then the logs, then the meter, so
 * the meter's WebSocket `accept` wraps the logs'), and the app's main module last: everything the
 * IDE keeps of the built-ins is kept before the app's code runs.
 *
 * Per load (placeholders): the channel secret, a constant of this module only (the app's code cannot
 * import it: supervisor/app-host/compile/compile.ts resolves its imports to its own files), and the app's
 * main module's specifier.
 */
// The IDE's modules, in the order they evaluate (side-effect imports keep it; the build checks that
// the app's module comes after them).
import "./guard";
import "./logs/logs";
import "./meter/meter";
import "./app-class";
import "./shapes";
import * as userModule from "facet-ide:user-main";
import { wrapAppClass } from "./app-class";
import { takePending } from "./logs/logs";
import { originals as O } from "./originals";
import { shapesOf } from "./shapes";

const CHANNEL: string = __FACET_IDE_CHANNEL__;

const wrapped = wrapAppClass(typeof userModule.App === "function" ? userModule.App : userModule.default, CHANNEL, null);

export const App = wrapped.App;

export default {
  fetch(): Response {
    const report = { isDurableObject: wrapped.isDurableObject, shapes: shapesOf(userModule), logs: takePending() };
    return O.apply(O.responseJson, O.Response, [report]);
  },
};
