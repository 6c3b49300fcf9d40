/**
 * What the draft's AppHost runs (an AppSource, app-source.ts): the draft's code in the facet
 * "draft", in an isolate of its own (the loader's `draft` load), its lines marked with its
 * revision. Without a draft its origin answers 404; a draft that froze the runtime answers 503
 * until code is saved to it.
 */
import { type ProjectConfig, VersionCode } from "../../../shared/project-config";
import { hungResponse, noDraftResponse } from "../app-host/app-responses";
import type { AppSource, LogMarks } from "../app-host/app-source";
import { DRAFT_FACET, objectFacet } from "../app-host/facet-names";
import { type Cooldowns, cooldownResponse } from "../versions/cooldowns";
import type { ProjectRow } from "../versions/store";
import { DRAFT_HANG_VERSION, type DraftCode, type DraftRow } from "./draft-row";

/** The loader (app-host/loader.ts) as the draft's source needs it: the draft's code, in its own isolate. */
export interface DraftLoader {
  stored(code: DraftRow, draft: boolean): WorkerStub;
  neutral(): WorkerStub;
  channel(codeId: string, draft?: boolean): Promise<string>;
  neutralCodeId(): string;
}

export class DraftSource implements AppSource {
  readonly facet = DRAFT_FACET;
  #draft: DraftCode;
  #store: { readonly project: ProjectRow | null };
  #loader: DraftLoader;
  /** The draft's files and configuration, read again only when its revision changes. */
  #code = new VersionCode();

  #cooldowns: Cooldowns | null;

  constructor(
    draft: DraftCode,
    store: { readonly project: ProjectRow | null },
    loader: DraftLoader,
    cooldowns: Cooldowns | null = null,
  ) {
    this.#draft = draft;
    this.#store = store;
    this.#loader = loader;
    this.#cooldowns = cooldowns;
  }

  objectFacet(id: string): string {
    return objectFacet(DRAFT_FACET, id);
  }

  marks(): LogMarks {
    return { version: this.#store.project?.currentVersion ?? null, draft: this.#draft.revision };
  }

  refusal(): Response | null {
    const row = this.#draft.row;
    if (!row) return noDraftResponse(this.#store.project?.id ?? "");
    const hung = this.#store.project?.hung;
    if (hung?.version === DRAFT_HANG_VERSION) return hungResponse(hung.detail, `draft-${row.revision}`);
    // While the project cools down after a freeze, its draft (code that no verdict marked yet) waits too.
    const cooling = this.#cooldowns?.running();
    if (cooling) return cooldownResponse(cooling);
    return null;
  }

  config(): ProjectConfig | null {
    return this.#current().config;
  }

  files(): Record<string, string> {
    return this.#current().files;
  }

  worker(): WorkerStub {
    const row = this.#draft.row;
    return row ? this.#loader.stored(row, true) : this.#loader.neutral();
  }

  neutral(): WorkerStub {
    return this.#loader.neutral();
  }

  channel(): Promise<string> {
    const row = this.#draft.row;
    return row ? this.#loader.channel(row.codeId, true) : this.#loader.channel(this.#loader.neutralCodeId());
  }

  #current() {
    const draft = this.#draft;
    // By code, not by revision: a draft discarded and made again starts over at r1 with other code.
    return this.#code.get(draft.row?.codeId ?? "none", () => draft.row ?? null);
  }
}
