// What a project's code can use beyond the Workers types, as the IDE's editor declares it
// (client/editor/monaco-setup.ts, `projectGlobals`): the `Env` name the templates use.

/** Bindings of the app. A Facet IDE app has none yet; declare fields here to type your own. */
interface Env extends Cloudflare.Env {}
