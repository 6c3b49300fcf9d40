import { useEffect, useMemo, useState } from "react";
import { ApiError } from "../lib/api";
import type { ProjectConnection } from "../project/connection";
import { ConfirmDialog } from "./ConfirmDialog";
import { DataApi } from "./data-api";
import { KvView } from "./KvView";
import { type DataSelection, TableList } from "./TableList";
import { TableView } from "./TableView";
import { useDataVersion } from "./useDataVersion";
import { useLive } from "./useLive";

interface Props {
  connection: ProjectConnection;
  token: string;
  /** Shown now: only then does the view keep its data fresh. */
  active: boolean;
  focusRef?: React.RefObject<(() => void) | null>;
}

const remembered = (project: string) => `facet-ide:data:${project}`;

function recall(project: string): DataSelection | null {
  try {
    const saved = JSON.parse(localStorage.getItem(remembered(project)) ?? "null") as DataSelection | null;
    return saved && (saved.kind === "kv" || (saved.kind === "table" && typeof saved.name === "string")) ? saved : null;
  } catch {
    return null;
  }
}

/**
 * The Data view: the app's tables and storage.kv, without typing SQL. It reads through the Data
 * routes (server/supervisor/data/) and stays live by watching the database's change token.
 */
export function DataPane({ connection, token, active, focusRef }: Props) {
  const api = useMemo(() => new DataApi(connection.id, token), [connection.id, token]);
  const version = useDataVersion(api, connection, active);
  const tables = useLive("tables", "tables", () => api.tables(), version);
  const [selected, setSelected] = useState<DataSelection | null>(() => recall(connection.id));
  const [confirmReset, setConfirmReset] = useState(false);
  const [notice, setNotice] = useState<{ text: string; bad: boolean } | null>(null);

  // Open the first table when nothing (or a table that is gone) is selected.
  useEffect(() => {
    const list = tables.value;
    if (!list) return;
    const exists =
      selected?.kind === "kv" ||
      (selected?.kind === "table" &&
        (list.tables.some((t) => t.name === selected.name) || list.internal.some((t) => t.name === selected.name)));
    if (!exists) setSelected(list.tables[0] ? { kind: "table", name: list.tables[0].name } : null);
  }, [tables.value, selected]);

  useEffect(() => {
    if (selected) localStorage.setItem(remembered(connection.id), JSON.stringify(selected));
  }, [selected, connection.id]);

  const reset = async () => {
    setConfirmReset(false);
    try {
      const answer = await api.reset();
      setNotice({
        text: `Reset: dropped ${answer.droppedTables.length === 0 ? "no tables" : answer.droppedTables.join(", ")} and every storage.kv pair.`,
        bad: false,
      });
      tables.reload();
    } catch (error) {
      setNotice({ text: `Reset failed: ${error instanceof ApiError ? error.message : String(error)}`, bad: true });
    }
  };

  return (
    <section className="pane data-pane" aria-label="Data">
      <header className="pane-header">
        <span className="pane-title">Data</span>
        <span className="pane-hint">tables · rows · storage.kv</span>
        <span className="spacer" />
        <span className={`live-dot${version ? " on" : ""}`} title="Shows what the app writes within a second">
          live
        </span>
        <button
          type="button"
          className="icon-button"
          title="Drop all of the app's data"
          onClick={() => setConfirmReset(true)}
        >
          Reset…
        </button>
      </header>
      {notice ? (
        <div className={`data-note${notice.bad ? " bad" : ""}`} role="status">
          {notice.text}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            dismiss
          </button>
        </div>
      ) : null}
      <div className="data-body">
        <TableList tables={tables.value} error={tables.error} selected={selected} onSelect={setSelected} />
        <div className="data-main">
          {selected?.kind === "table" ? (
            <TableView key={selected.name} api={api} table={selected.name} version={version} focusRef={focusRef} />
          ) : selected?.kind === "kv" ? (
            <KvView api={api} version={version} />
          ) : (
            <div className="grid-empty muted">{tables.loading ? "Loading…" : "Pick a table."}</div>
          )}
        </div>
      </div>
      <ConfirmDialog
        open={confirmReset}
        title="Drop all of the app's data?"
        confirmLabel="Drop everything"
        onConfirm={() => void reset()}
        onClose={() => setConfirmReset(false)}
      >
        Every table ({tables.value?.tables.length ?? 0}) and every storage.kv pair of <code>{connection.id}</code> is
        deleted, and the app starts again on an empty database. Requests in flight finish first. No snapshot is taken:
        this cannot be undone. Export what you want to keep first.
      </ConfirmDialog>
    </section>
  );
}
