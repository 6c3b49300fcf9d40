interface Props {
  liveVersion: number;
  onLoadLive(): void;
  onReplaceLive(): void;
  onCompare(): void;
}

/** A version went live elsewhere while this editor had edits: the person chooses, nothing is lost. */
export function ConflictPanel({ liveVersion, onLoadLive, onReplaceLive, onCompare }: Props) {
  return (
    <div className="diagnostics conflict" role="alert" data-testid="save-conflict">
      <div className="diagnostics-head">
        <p>
          <strong>v{liveVersion} was saved elsewhere</strong>
          <span className="muted">
            {" "}
            (another tab, or an agent over the API) while you were editing. Your edits are not saved.
          </span>
        </p>
      </div>
      <div className="conflict-actions">
        <button type="button" onClick={onLoadLive} title="Ctrl+Z in the editor brings your edits back">
          Load v{liveVersion}
        </button>
        <button type="button" onClick={onCompare}>
          Compare
        </button>
        <button type="button" className="danger" onClick={onReplaceLive}>
          Save mine over v{liveVersion}
        </button>
      </div>
    </div>
  );
}
