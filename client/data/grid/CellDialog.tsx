import { useEffect, useState } from "react";
import type { CellValue, ColumnInfo, Row } from "../../../shared/data";
import type { SqlValue } from "../../../shared/sql";
import { ModalDialog } from "../../lib/ModalDialog";
import type { DataApi } from "../data-api";
import { formatBytes, formatCount, shortSqlError } from "./cell-format";

interface Props {
  api: DataApi;
  table: string;
  row: Row;
  column: ColumnInfo;
  /** The value as the page has it (cut, for long text). */
  shown: CellValue;
  editable: boolean;
  onSave(text: string | null): Promise<void>;
  onClose(): void;
}

/** One value whole (a page cuts long text), in a box big enough to read and edit it. */
export function CellDialog({ api, table, row, column, shown, editable, onSave, onClose }: Props) {
  const [value, setValue] = useState<SqlValue | undefined>(undefined);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (row.key === null) {
      // A row without a key (a view's) cannot be read again: show what the page has.
      const text = typeof shown === "object" && shown !== null && "text" in shown ? shown.text : shown;
      setValue(text);
      if (typeof text === "string") setDraft(text);
      return;
    }
    api.cell(table, { key: row.key, column: column.name }).then(
      (answer) => {
        setValue(answer.value);
        if (typeof answer.value === "string" || typeof answer.value === "number") setDraft(String(answer.value));
      },
      (cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)),
    );
  }, [api, table, row, column, shown]);

  const save = async (text: string | null) => {
    setSaving(true);
    setError(null);
    try {
      await onSave(text);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
      setSaving(false);
    }
  };

  const blob = typeof value === "object" && value !== null ? value : null;
  const canEdit = editable && value !== undefined && blob === null;
  return (
    <ModalDialog open title={`${table}.${column.name}`} className="cell-dialog" onClose={onClose}>
      <p className="dialog-lead muted">
        {value === undefined
          ? "Loading…"
          : value === null
            ? "NULL"
            : blob
              ? `A BLOB of ${formatBytes(blob.bytes)}; its first bytes are shown. Change it from the SQL console (X'…').`
              : `${formatCount(String(value).length)} characters`}
      </p>
      {blob ? (
        <pre className="cell-dialog-value">{blob.blob}</pre>
      ) : (
        <textarea
          className="cell-dialog-value"
          aria-label={`Value of ${column.name}`}
          value={draft}
          readOnly={!canEdit}
          onChange={(event) => setDraft(event.target.value)}
        />
      )}
      {error ? (
        <div className="cell-error" role="alert">
          {shortSqlError(error)}
        </div>
      ) : null}
      <div className="dialog-actions">
        {canEdit ? (
          <button type="button" disabled={saving} onClick={() => void save(null)}>
            Set NULL
          </button>
        ) : null}
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          {canEdit ? "Cancel" : "Close"}
        </button>
        {canEdit ? (
          <button type="button" className="primary" disabled={saving} onClick={() => void save(draft)}>
            {saving ? "Saving…" : "Save"}
          </button>
        ) : null}
      </div>
    </ModalDialog>
  );
}
