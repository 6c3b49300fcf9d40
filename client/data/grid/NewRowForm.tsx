import { useState } from "react";
import type { ColumnInfo } from "../../../shared/data";
import type { SqlParam } from "../../../shared/sql";
import { ApiError } from "../../lib/api";
import { shortSqlError } from "./cell-format";
import { typedValue } from "./filter-syntax";

interface Props {
  table: string;
  columns: ColumnInfo[];
  onInsert(values: Record<string, SqlParam>): Promise<void>;
  onCancel(): void;
}

/**
 * A new row: one box per column that can be written. An empty box leaves the column out, so it
 * gets its default (or NULL, or the next rowid); `NULL` stores NULL and '' an empty string.
 * SQLite's error shows under the column it names, or under the form.
 */
export function NewRowForm({ table, columns: all, onInsert, onCancel }: Props) {
  const columns = all.filter((c) => !c.generated);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ message: string; column?: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const values: Record<string, SqlParam> = {};
    for (const column of columns) {
      const text = draft[column.name] ?? "";
      if (text === "") continue;
      const value = typedValue(text);
      // Text stays text unless it is NULL or quoted; the column's affinity makes numbers of digits.
      values[column.name] = value === null ? null : typeof value === "number" ? text : value;
    }
    setSaving(true);
    setError(null);
    try {
      await onInsert(values);
    } catch (cause) {
      setError({
        message: cause instanceof Error ? shortSqlError(cause.message) : String(cause),
        column: cause instanceof ApiError ? cause.column : undefined,
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="new-row"
      aria-label={`New row in ${table}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="new-row-fields">
        {columns.map((column, i) => (
          <label key={column.name} className={`new-row-field${error?.column === column.name ? " failed" : ""}`}>
            <span className="new-row-name">
              {column.name} <span className="grid-column-type">{column.type.toLowerCase()}</span>
            </span>
            <input
              // biome-ignore lint/a11y/noAutofocus: the form opens to be typed in
              autoFocus={i === 0}
              value={draft[column.name] ?? ""}
              placeholder={placeholderOf(column.defaultValue, column.primaryKey > 0, column.notNull)}
              onChange={(event) => setDraft((d) => ({ ...d, [column.name]: event.target.value }))}
              onKeyDown={(event) => {
                if (event.key === "Escape") onCancel();
              }}
            />
            {error?.column === column.name ? (
              <span className="cell-error" role="alert">
                {error.message}
              </span>
            ) : null}
          </label>
        ))}
      </div>
      <div className="new-row-actions">
        {error && error.column === undefined ? (
          <span className="cell-error" role="alert">
            {error.message}
          </span>
        ) : (
          <span className="muted small">Empty boxes get the column's default. NULL stores NULL, '' empty text.</span>
        )}
        <span className="spacer" />
        <button type="button" className="small-button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary small-button" disabled={saving}>
          {saving ? "Inserting…" : "Insert row"}
        </button>
      </div>
    </form>
  );
}

function placeholderOf(defaultValue: string | null, primaryKey: boolean, notNull: boolean): string {
  if (defaultValue !== null) return `default ${defaultValue}`;
  if (primaryKey) return "automatic";
  return notNull ? "required" : "NULL";
}
