import type { DraftInfo } from "../../shared/time-travel";
import { ago } from "../lib/time";
import { DraftActions } from "./DraftActions";
import type { DraftState } from "./useDraft";

interface Props {
  draft: DraftInfo;
  busy: DraftState["busy"];
  /** Which app the preview and the terminal's SQL are on. */
  view: "live" | "draft";
  onView(view: "live" | "draft"): void;
  onPromote(data: "live" | "draft"): void;
  /** Replays the latest live requests on the draft and shows what changed (requests/ReplayReportDialog). */
  onReplay(): void;
  onDiscard(): void;
}

/**
 * Shown while the project has a draft: which app the preview and terminal are on, and Promote and
 * Discard one click away.
 */
export function DraftBar({ draft, busy, view, onView, onPromote, onReplay, onDiscard }: Props) {
  const base = draft.basedOnVersion === null ? "the live data" : `v${draft.basedOnVersion}'s data`;
  return (
    <section className="draft-bar" aria-label="Draft" data-testid="draft-bar">
      <span className="draft-badge">draft r{draft.revision}</span>
      <span className="muted small">
        on a copy of {base}, updated {ago(draft.updatedAt)}; the live app does not see its writes
      </span>
      <fieldset className="segmented" aria-label="Preview and terminal show">
        <button type="button" aria-pressed={view === "live"} onClick={() => onView("live")}>
          Live
        </button>
        <button type="button" aria-pressed={view === "draft"} onClick={() => onView("draft")}>
          Draft
        </button>
      </fieldset>
      <span className="spacer" />
      <button
        type="button"
        disabled={busy !== null}
        title="Send the latest live requests to the draft, on its copy of the data, and see which answers change"
        onClick={onReplay}
      >
        Replay recent traffic
      </button>
      <DraftActions busy={busy} onPromote={onPromote} onDiscard={onDiscard} />
    </section>
  );
}
