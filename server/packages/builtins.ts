/**
 * Node's built-in modules as workerd's nodejs_compat provides them. A package may name one as
 * `node:x` or, as older packages do, bare (`buffer`, `crypto`); bare names are rewritten to `node:`.
 * Either needs the project's nodejs_compat (docs/packages.md says where it is set). A built-in not
 * listed here is one workerd lacks: a package needing it is refused by name.
 */
const WORKERD_BUILTINS = new Set([
  "assert",
  "assert/strict",
  "async_hooks",
  "buffer",
  "child_process",
  "cluster",
  "console",
  "constants",
  "crypto",
  "dgram",
  "diagnostics_channel",
  "dns",
  "dns/promises",
  "domain",
  "events",
  "fs",
  "fs/promises",
  "http",
  "http2",
  "https",
  "inspector",
  "inspector/promises",
  "net",
  "os",
  "path",
  "path/posix",
  "path/win32",
  "perf_hooks",
  "process",
  "punycode",
  "querystring",
  "readline",
  "readline/promises",
  "repl",
  "stream",
  "stream/consumers",
  "stream/promises",
  "stream/web",
  "string_decoder",
  "sys",
  "timers",
  "timers/promises",
  "tls",
  "trace_events",
  "tty",
  "url",
  "util",
  "util/types",
  "v8",
  "vm",
  "wasi",
  "worker_threads",
  "zlib",
]);

/** Node's built-ins, including those workerd lacks, so a bare `fs` is never looked for on the registry. */
const NODE_ONLY = new Set(["module", "sea", "sqlite", "test", "test/reporters"]);

/** The built-in a specifier names (`node:fs` and bare `fs` → `fs`), or null when it names none. */
export function builtinOf(specifier: string): string | null {
  const name = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  if (WORKERD_BUILTINS.has(name) || NODE_ONLY.has(name)) return name;
  return specifier.startsWith("node:") ? name : null;
}

/** Whether workerd's nodejs_compat provides built-in `name`. */
export const workerdHas = (name: string) => WORKERD_BUILTINS.has(name);
