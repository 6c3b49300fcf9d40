/**
 * The project's draft as the workbench sees it: whether there is one (asked on open), and the
 * actions on it. "Try on a copy" saves the editor's files into the draft (the first time, on a copy
 * of the live data); Promote makes it the live version and Discard deletes it.
 */
import { useCallback, useEffect, useState } from "react";
import { messageOf } from "../../shared/errors";
import type { DraftInfo, PromoteDraftResponse } from "../../shared/time-travel";
import type { Workspace } from "../editor/workspace";
import { ApiError, api } from "../lib/api";

export type DraftState = {
  draft: DraftInfo | null;
  busy: "saving" | "promoting" | "discarding" | null;
  error: string | null;
};

export function useDraft(
  projectId: string,
  token: string,
  workspace: Workspace,
  onPromoted: (result: PromoteDraftResponse) => void,
) {
  const [state, setState] = useState<DraftState>({ draft: null, busy: null, error: null });

  /** Bumped when someone else (the assistant) may have made or changed the draft: it is asked for again. */
  const [changes, setChanges] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes` asks again
  useEffect(() => {
    let cancelled = false;
    api.draft(projectId, token).then(
      (answer) => !cancelled && setState((s) => ({ ...s, draft: answer.draft })),
      () => {
        // No draft shown; trying one says what is wrong.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, token, changes]);

  const act = useCallback(
    async (busy: NonNullable<DraftState["busy"]>, work: () => Promise<DraftInfo | null>) => {
      setState((s) => ({ ...s, busy, error: null }));
      try {
        const draft = await work();
        setState({ draft, busy: null, error: null });
        return true;
      } catch (error) {
        const diagnostics = error instanceof ApiError ? error.diagnostics : [];
        if (diagnostics.length > 0) workspace.setDiagnostics(diagnostics);
        setState((s) => ({ ...s, busy: null, error: messageOf(error) }));
        return false;
      }
    },
    [workspace],
  );

  /** Saves the editor's files into the draft. */
  const tryOnCopy = useCallback(
    () =>
      act("saving", async () => {
        const { files, main } = workspace.toSave();
        const saved = await api.putDraftCode(projectId, token, { files, main });
        workspace.setDiagnostics(saved.warnings, "warning");
        return (await api.draft(projectId, token)).draft;
      }),
    [act, workspace, projectId, token],
  );

  const promote = useCallback(
    (data: "live" | "draft") =>
      act("promoting", async () => {
        onPromoted(await api.promoteDraft(projectId, token, data));
        return null;
      }),
    [act, onPromoted, projectId, token],
  );

  const discard = useCallback(
    () =>
      act("discarding", async () => {
        await api.discardDraft(projectId, token);
        return null;
      }),
    [act, projectId, token],
  );

  return {
    ...state,
    tryOnCopy,
    promote,
    discard,
    refresh: useCallback(() => setChanges((n) => n + 1), []),
    dismissError: () => setState((s) => ({ ...s, error: null })),
  };
}
