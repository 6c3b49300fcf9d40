/**
 * The per-load values of the runtime's modules (protocol.ts, `PLACEHOLDERS`): each identifier occurs
 * once in its module's source, where the loader puts a JSON value in its place
 * (server/supervisor/app-host/runtime-modules.ts), so no module is ever evaluated with one unfilled.
 */
declare const __FACET_IDE_MARKERS__: import("../protocol").GuardMarkers | null;
declare const __FACET_IDE_CHANNEL__: string;
declare const __FACET_IDE_CLASS_NAME__: string;
declare const __FACET_IDE_BINDINGS__: import("../protocol").NamespaceBinding[];
declare const __FACET_IDE_CLASSES__: string[];
declare const __FACET_IDE_ASSETS_BINDING__: string | null;

/** The app's main module (its specifier, relative to the wrapper, is filled in per load). */
declare module "facet-ide:user-main" {
  const exports: { readonly [name: string]: unknown };
  export = exports;
}
