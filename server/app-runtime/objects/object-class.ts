/**
 * The module a Worker project's class is wrapped in (`__facet_ide_class_<Class>.js`, one per class its
 * bindings name): exports `App`, the class wrapped as the App is (app-class.ts), with its ID, its env
 * with the namespaces and the call context of the request it serves (objects.ts). The Worker's main
 * module re-exports it under the class's name (supervisor/app-host/runtime-modules.ts).
 *
 * Per load (placeholders): the channel secret (a constant of this module only, as in wrapper.ts), the
 * app's main module's specifier and the class's name.
 */
// The IDE's modules, in the order they evaluate (as in wrapper.ts).
import "../guard";
import "../logs/logs";
import "../meter/meter";
import "./objects";
import "../app-class";
import * as userModule from "facet-ide:user-main";
import { wrapAppClass } from "../app-class";
import * as objects from "./objects";

const CHANNEL: string = __FACET_IDE_CHANNEL__;
const CLASS_NAME: string = __FACET_IDE_CLASS_NAME__;

// biome-ignore lint/performance/noDynamicNamespaceImportAccess: the class is the one this module wraps, by name
export const App = wrapAppClass(userModule[CLASS_NAME], CHANNEL, {
  className: CLASS_NAME,
  adopt: objects.adopt,
  takeCall: objects.takeCall,
  withCall: objects.withCall,
}).App;
