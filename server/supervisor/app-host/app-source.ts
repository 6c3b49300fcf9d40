/**
 * What an AppHost runs (AppSource), and the live app's source (LiveSource): the project's current
 * version as the store names it, loaded by the loader. The draft's source is time-travel's
 * (draft-source.ts). A host asks its source on the way in of each request what runs now: whether it
 * may run at all, how its lines are marked, and its configuration.
 */
import { type ProjectConfig, VersionCode } from "../../../shared/project-config";
import type { ProjectRow, VersionRow } from "../versions/store";
import { hungResponse, noCodeResponse } from "./app-responses";
import { LIVE_FACET, objectFacet } from "./facet-names";
import type { AppLoader } from "./loader";

/** How an app's log lines are marked: the live version, and the draft's revision on the draft's lines. */
export interface LogMarks {
  version: number | null;
  draft?: number;
}

/** The `x-app-version` header of an app's responses, from its marks: "7", "none", "draft-2". */
export function versionHeader(marks: LogMarks): string {
  return marks.draft !== undefined ? `draft-${marks.draft}` : String(marks.version ?? "none");
}

/** What an AppHost runs: the live version (LiveSource) or the draft (draft-source.ts). */
export interface AppSource {
  /** The facet's name. */
  readonly facet: string;
  /** The facet of a Worker project's object (by its ID): the live object's, or the draft's copy. */
  objectFacet(id: string): string;
  /** How its log lines are marked now (versionHeader makes its responses' header of them). */
  marks(): LogMarks;
  /** The answer when it cannot run now (no code yet, a version that froze the runtime); else null. */
  refusal(): Response | null;
  /** A Worker project's configuration, for the code it runs now (null: an App project). */
  config(): ProjectConfig | null;
  /** The files of the code it runs now (a Worker project's assets are among them). */
  files(): Record<string, string>;
  /** The code the facet starts with. */
  worker(): WorkerStub;
  /** A code that runs no user code (an empty App), to measure or load a database through. */
  neutral(): WorkerStub;
  /** The secret its wrapper marks its reports with (app-channel.ts), for the code `worker()` gives now. */
  channel(): Promise<string>;
}

/** The store as the live source reads it: the project row and its current version. */
export interface LiveVersions {
  readonly project: ProjectRow | null;
  currentVersion(): VersionRow | null;
}

/** The live app's source: the current version (an empty App before the first save), in the facet "app". */
export class LiveSource implements AppSource {
  readonly facet = LIVE_FACET;
  #store: LiveVersions;
  #loader: AppLoader;
  /** The current version's files and configuration, read again only when the version changes. */
  #code = new VersionCode();

  constructor(store: LiveVersions, loader: AppLoader) {
    this.#store = store;
    this.#loader = loader;
  }

  objectFacet(id: string): string {
    return objectFacet(LIVE_FACET, id);
  }

  marks(): LogMarks {
    return { version: this.#store.project?.currentVersion ?? null };
  }

  refusal(): Response | null {
    const project = this.#store.project;
    const version = project?.currentVersion ?? null;
    if (version === null) return noCodeResponse(project?.id ?? "");
    if (project?.hung?.version === version) return hungResponse(project.hung.detail, `v${version}`);
    return null;
  }

  config(): ProjectConfig | null {
    return this.#current().config;
  }

  files(): Record<string, string> {
    return this.#current().files;
  }

  worker(): WorkerStub {
    return this.#loader.current();
  }

  neutral(): WorkerStub {
    return this.#loader.neutral();
  }

  channel(): Promise<string> {
    return this.#loader.channel(this.#store.currentVersion()?.codeId ?? this.#loader.neutralCodeId());
  }

  #current() {
    const store = this.#store;
    return this.#code.get(`v${store.project?.currentVersion ?? "none"}`, () => store.currentVersion() ?? null);
  }
}
