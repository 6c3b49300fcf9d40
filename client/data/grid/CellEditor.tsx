import { useEffect, useRef } from "react";
import { shortSqlError } from "./cell-format";

export interface CellEdit {
  rowId: string;
  column: string;
  draft: string;
  /** SQLite's error for the last try, shown on the cell. */
  error: string | null;
  saving: boolean;
}

interface Props {
  edit: CellEdit;
  onDraft(draft: string): void;
  onSave(value: string | null): void;
  onCancel(): void;
}

/**
 * Editing one cell in place: Enter saves, Escape cancels, NULL stores NULL. The edit belongs to the
 * row's key and column, not to a position, so the grid reloading underneath it leaves it alone; a
 * failed save keeps the draft and shows SQLite's message under the cell.
 */
export function CellEditor({ edit, onDraft, onSave, onCancel }: Props) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <div className="cell-editor">
      <input
        ref={input}
        className="cell-input"
        aria-label={`New value for ${edit.column}`}
        aria-invalid={edit.error !== null}
        value={edit.draft}
        disabled={edit.saving}
        onChange={(event) => onDraft(event.target.value)}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (event.key === "Enter") onSave(edit.draft);
          if (event.key === "Escape") onCancel();
        }}
      />
      <div className="cell-editor-bar">
        {edit.error ? (
          <div className="cell-error" role="alert">
            {shortSqlError(edit.error)}
          </div>
        ) : (
          <span className="muted small cell-hint">Enter saves · Esc cancels</span>
        )}
        <span className="spacer" />
        <button type="button" className="icon-button" disabled={edit.saving} onClick={() => onSave(null)}>
          NULL
        </button>
        <button type="button" className="icon-button" disabled={edit.saving} onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="primary small-button"
          disabled={edit.saving}
          onClick={() => onSave(edit.draft)}
        >
          {edit.saving ? "Saving…" : "Save"}
        </button>
      </div>
    </div>
  );
}
