import { useState } from "react";
import { ApiError } from "../lib/api";
import { ConfirmDialog } from "./ConfirmDialog";
import type { DataApi } from "./data-api";
import { useLive } from "./useLive";

interface Props {
  api: DataApi;
  version: string | null;
}

const PAGE = 200;

/**
 * The pairs of `ctx.storage.kv` (SQL cannot read them): key order, a prefix filter, pages by the
 * last key. A value that is plain JSON can be edited as JSON; others (a Date, bytes, a Map) are
 * described and can be deleted.
 */
export function KvView({ api, version }: Props) {
  const [prefix, setPrefix] = useState("");
  const [starts, setStarts] = useState<string[]>([]);
  const startAfter = starts[starts.length - 1];
  const page = useLive(
    "kv",
    JSON.stringify([prefix, startAfter]),
    () => api.kv({ ...(prefix ? { prefix } : {}), ...(startAfter !== undefined ? { startAfter } : {}), limit: PAGE }),
    version,
  );
  const [editing, setEditing] = useState<{ key: string; text: string; isNew: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const save = async () => {
    if (!editing) return;
    let value: unknown;
    try {
      value = JSON.parse(editing.text);
    } catch (cause) {
      setError(`Not JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
      return;
    }
    try {
      await api.putKv({ key: editing.key, value: value as never });
      setEditing(null);
      setError(null);
      page.reload();
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : String(cause));
    }
  };

  const remove = async (key: string) => {
    setDeleting(null);
    try {
      await api.deleteKv({ keys: [key] });
      page.reload();
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : String(cause));
    }
  };

  const entries = page.value?.entries ?? [];
  return (
    <div className="table-view kv-view">
      <div className="data-toolbar">
        <span className="table-title">storage.kv</span>
        <input
          className="kv-prefix"
          aria-label="Key prefix"
          placeholder="key prefix"
          value={prefix}
          onChange={(event) => {
            setPrefix(event.target.value);
            setStarts([]);
          }}
        />
        <span className="spacer" />
        <button
          type="button"
          className="small-button"
          onClick={() => {
            setEditing({ key: "", text: "", isNew: true });
            setError(null);
          }}
        >
          + Pair
        </button>
      </div>
      {error ? (
        <div className="data-note bad" role="alert">
          {error}
        </div>
      ) : null}
      {editing ? (
        <form
          className="new-row kv-editor"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <label className="new-row-field">
            <span className="new-row-name">key</span>
            <input
              value={editing.key}
              readOnly={!editing.isNew}
              onChange={(event) => setEditing({ ...editing, key: event.target.value })}
            />
          </label>
          <label className="new-row-field kv-value-field">
            <span className="new-row-name">value (JSON)</span>
            <textarea
              value={editing.text}
              placeholder='{"any": "JSON"}'
              onChange={(event) => setEditing({ ...editing, text: event.target.value })}
            />
          </label>
          <div className="new-row-actions">
            <span className="spacer" />
            <button type="button" className="small-button" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="submit" className="primary small-button" disabled={editing.key === ""}>
              Store
            </button>
          </div>
        </form>
      ) : null}
      <div className="grid-scroll">
        <table className="kv-table">
          <thead>
            <tr>
              <th>key</th>
              <th>type</th>
              <th>value</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.key}>
                <td className="mono">{entry.key}</td>
                <td className="muted">{entry.type}</td>
                <td
                  className="mono kv-preview"
                  title={entry.json ? "JSON" : "Described: JSON cannot hold this value whole"}
                >
                  {entry.preview}
                </td>
                <td className="kv-actions">
                  <button
                    type="button"
                    className="icon-button"
                    disabled={!entry.json}
                    title={entry.json ? "Edit as JSON" : "Only plain JSON values can be edited here"}
                    onClick={() => setEditing({ key: entry.key, text: entry.preview, isNew: false })}
                  >
                    Edit
                  </button>
                  <button type="button" className="icon-button" onClick={() => setDeleting(entry.key)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.value && entries.length === 0 ? (
          <div className="grid-empty muted">
            {prefix ? "No keys start with that." : "No pairs yet: the app stores them with this.ctx.storage.kv.put()."}
          </div>
        ) : null}
      </div>
      <div className="pager">
        <span className="pager-range">
          {entries.length === 0
            ? "no pairs"
            : `${entries.length} ${entries.length === 1 ? "pair" : "pairs"}${page.value?.more ? ", more on the next page" : ""}`}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="icon-button"
          aria-label="Previous page"
          disabled={starts.length === 0}
          onClick={() => setStarts((s) => s.slice(0, -1))}
        >
          ‹
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Next page"
          disabled={!page.value?.more}
          onClick={() => setStarts((s) => [...s, entries[entries.length - 1]?.key ?? ""])}
        >
          ›
        </button>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this pair?"
        confirmLabel="Delete"
        onConfirm={() => deleting !== null && void remove(deleting)}
        onClose={() => setDeleting(null)}
      >
        <code>{deleting}</code> is deleted from storage.kv. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}
