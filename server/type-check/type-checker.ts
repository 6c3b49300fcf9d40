/**
 * The supervisor's side of the type check: loads the checker (checker/checker.ts) as a dynamic worker
 * of its own, keyed by TypeScript's version and the checker's build so one warm isolate serves every
 * project, and asks it for a project's diagnostics. The compiler and the lib files come from the IDE's
 * static assets (build/checker-modules.mjs), fetched only when the loader has no isolate for the key;
 * the IDE's worker never carries them.
 */
import { z } from "zod";
import { Diagnostic } from "../../shared/diagnostics";
import type CheckerEntrypoint from "./checker/checker";
import checker from "./checker/checker.ts?type-check-modules";

const COMPATIBILITY_DATE = "2026-10-01";
/** The checker's answer, read as untrusted: it has seen the project's files. */
const CheckAnswer = z.object({ diagnostics: z.array(Diagnostic).max(1000), version: z.string() });

/** What a check is given (checker.ts's CheckInput). */
export interface TypeCheckInput {
  /** Keeps the project's language service apart from other projects' in the shared isolate. */
  project: string;
  files: Record<string, string>;
  /** The packages' declaration files and package.json, keyed `node_modules/<name>/<path>`. */
  typeFiles: Record<string, string>;
  /** The project's globals: shared/type-check.ts's PROJECT_GLOBALS and envDeclaration. */
  globals: string;
}

/** The bindings the checker needs: the Worker Loader, and the IDE's assets with the compiler. */
export interface CheckerBindings {
  LOADER: WorkerLoader;
  ASSETS: Fetcher;
}

/** An asset's text; an error that names it when the build lacks it (the SPA fallback answers HTML). */
async function assetText(assets: Fetcher, name: string): Promise<string> {
  const response = await assets.fetch(`http://assets/${checker.assetDir}/${name}`);
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok || type.includes("text/html")) {
    await response.body?.cancel();
    throw new Error(`${checker.assetDir}/${name} is not among the IDE's assets (build it: npm run build)`);
  }
  return response.text();
}

export class TypeChecker {
  #bindings: CheckerBindings;

  constructor(bindings: CheckerBindings) {
    this.#bindings = bindings;
  }

  /** Loads the checker and parses the lib files, so the next check finds a warm isolate. */
  async warm(): Promise<void> {
    await this.#warmEntry();
  }

  /** TypeScript's diagnostics for the project's files; throws what kept the checker from running. */
  async check(input: TypeCheckInput): Promise<Diagnostic[]> {
    const entry = await this.#warmEntry();
    const answer = CheckAnswer.safeParse(await entry.check(input));
    if (!answer.success) throw new Error(`the type checker answered something else: ${answer.error.message}`);
    return answer.data.diagnostics;
  }

  async #warmEntry() {
    const { LOADER, ASSETS } = this.#bindings;
    const worker = LOADER.get(`facet-ide-type-check:${checker.key}`, async () => {
      const [compiler, libs] = await Promise.all([assetText(ASSETS, "typescript.js"), assetText(ASSETS, "libs.json")]);
      return {
        compatibilityDate: COMPATIBILITY_DATE,
        mainModule: checker.mainModule,
        modules: {
          ...checker.modules,
          [checker.compilerModule]: { cjs: compiler },
          [checker.libsModule]: { text: libs },
        },
        env: {},
        // It reads what it is given and reaches nothing.
        globalOutbound: null,
      };
    });
    const entry = worker.getEntrypoint<CheckerEntrypoint>();
    // A fresh isolate parses the lib files a slice a call, so the runtime serves others in between;
    // a warm one answers true at once.
    for (let slice = 0; slice < 16 && !(await entry.warm()); slice++) {}
    return entry;
  }
}
