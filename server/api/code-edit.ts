/**
 * The editCode operation (`POST /api/projects/{id}/code/edit`, the MCP tool edit_file): reads the
 * live version's files (or the draft's), applies the edits to one of them (file-edits.ts) and saves
 * the whole set through the same path as putCode or putDraftCode, so compile checks, warnings and
 * the baseVersion conflict are the same. Without a baseVersion the save is based on the version the
 * edit read: an edit never silently replaces a version saved in between.
 */
import { LIMITS } from "../../shared/api";
import type { EditCodeRequest, EditCodeResponse } from "../../shared/code-edits";
import type { DraftCodeResponse, DraftInfo } from "../../shared/time-travel";
import { failure, type Outcome, success } from "../outcome";
import type { ProjectHandle } from "../supervisor/handle/project-handle";
import { applyEdits } from "./file-edits";

interface Base {
  files: Record<string, string>;
  main: string;
  version: number | null;
}

export async function editCode(
  project: Rpc.Stub<ProjectHandle>,
  body: EditCodeRequest,
): Promise<Outcome<EditCodeResponse>> {
  const target = body.target ?? "live";
  const base = target === "draft" ? await draftBase(project) : await liveBase(project);
  if (!base.ok) return base;
  const { files, main, version } = base.value;
  const exists = Object.hasOwn(files, body.file);
  const edited = applyEdits(body.file, exists ? files[body.file] : undefined, body.edits);
  if (!edited.ok) {
    const names = Object.keys(files);
    const listing = exists
      ? ""
      : ` (the ${target === "draft" ? "draft's" : "live version's"} files: ${names.length ? names.join(", ") : "none"}); to create it, send one edit with oldText ""`;
    return failure("bad_request", `${edited.message}${listing}`);
  }
  const next = { ...files, [body.file]: edited.text };
  if (Object.keys(next).length > LIMITS.maxFiles) {
    return failure("bad_request", `A project has at most ${LIMITS.maxFiles} files`);
  }
  const message = body.message === undefined ? {} : { message: body.message };
  const done = { target, file: body.file, createdFile: edited.createdFile };
  if (target === "draft") {
    // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
    const saved = (await project.putDraftCode({ files: next, main, ...message })) as Outcome<
      Omit<DraftCodeResponse, "previewUrl">
    >;
    return saved.ok ? success({ ...done, ...saved.value }) : saved;
  }
  const baseVersion = body.baseVersion !== undefined ? body.baseVersion : version;
  const saved = await project.putCode({ files: next, main, baseVersion, ...message });
  return saved.ok ? success({ ...done, ...saved.value }) : saved;
}

async function liveBase(project: Rpc.Stub<ProjectHandle>): Promise<Outcome<Base>> {
  const code = await project.getCode();
  return code.ok ? success({ files: code.value.files, main: code.value.main, version: code.value.version }) : code;
}

async function draftBase(project: Rpc.Stub<ProjectHandle>): Promise<Outcome<Base>> {
  // RPC wraps results in a Disposable, which hides the union's narrowing; the shape is unchanged.
  const draft = (await project.draft()) as Outcome<Omit<DraftInfo, "previewUrl"> | null>;
  if (!draft.ok) return draft;
  if (!draft.value) {
    return failure("conflict", "There is no draft: write_draft (PUT .../draft/code) makes one from files first");
  }
  return success({ files: draft.value.files, main: draft.value.main, version: null });
}
