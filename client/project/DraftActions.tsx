import type { DraftState } from "./useDraft";

interface Props {
  busy: DraftState["busy"];
  onPromote(data: "live" | "draft"): void;
  onDiscard(): void;
}

/**
 * Promote, Promote with its data, and Discard: what can be done with a draft, the same wherever it
 * is offered (the draft bar, the assistant's result). All wait while one of them runs.
 */
export function DraftActions({ busy, onPromote, onDiscard }: Props) {
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={busy !== null}
        title="The draft's code becomes the next live version and runs on the live data (its migrations run again there)"
        onClick={() => onPromote("live")}
      >
        {busy === "promoting" ? "Promoting…" : "Promote"}
      </button>
      <button
        type="button"
        disabled={busy !== null}
        title="The draft's code becomes the next live version with the draft's data (today's live data is snapshotted first)"
        onClick={() => onPromote("draft")}
      >
        Promote with its data
      </button>
      <button
        type="button"
        className="danger"
        disabled={busy !== null}
        title="Delete the draft, its code and its copy of the data; the live app is untouched"
        onClick={onDiscard}
      >
        {busy === "discarding" ? "Discarding…" : "Discard"}
      </button>
    </>
  );
}
