import { useEffect, useMemo, useState } from "react";
import type { SnapshotsResponse } from "../../shared/api";
import { ApiError, api as projectApi } from "../lib/api";
import type { ProjectConnection } from "../project/connection";
import { ConfirmDialog } from "./ConfirmDialog";
import { DataApi, saveBlob } from "./data-api";
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
  /** Whether a reset can snapshot the data first (asked when the dialog opens). */
  const [snapshots, setSnapshots] = useState<SnapshotsResponse | "unknown" | null>(null);
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

  const askReset = () => {
    setSnapshots(null);
    setConfirmReset(true);
    projectApi.snapshots(connection.id, token).then(setSnapshots, () => setSnapshots("unknown"));
  };

  const reset = async () => {
    setConfirmReset(false);
    try {
      const answer = await api.reset();
      const dropped = answer.droppedTables.length === 0 ? "no tables" : answer.droppedTables.join(", ");
      const undo = answer.snapshot?.snapshot
        ? ` A snapshot was taken first: History → v${answer.version} → Restore code and data undoes it.`
        : answer.snapshot?.note
          ? ` No snapshot: ${answer.snapshot.note}`
          : "";
      setNotice({ text: `Reset: dropped ${dropped} and every storage.kv pair.${undo}`, bad: false });
      tables.reload();
    } catch (error) {
      setNotice({ text: `Reset failed: ${error instanceof ApiError ? error.message : String(error)}`, bad: true });
    }
  };

  const dump = async () => {
    try {
      saveBlob(await api.dump(), `${connection.id}.sql`);
    } catch (error) {
      setNotice({ text: `Dump failed: ${error instanceof ApiError ? error.message : String(error)}`, bad: true });
    }
  };

  const snapshotFirst =
    snapshots !== null &&
    snapshots !== "unknown" &&
    snapshots.enabled &&
    snapshots.settings.maxVersions > 0 &&
    snapshots.liveFits;
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
          title="Download the whole database as a SQL script"
          onClick={() => void dump()}
        >
          Dump SQL
        </button>
        <button type="button" className="icon-button" title="Drop all of the app's data" onClick={askReset}>
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
        deleted, and the app starts again on an empty database. Requests in flight finish first.{" "}
        {snapshotFirst
          ? "A snapshot of the data is taken first: History's Restore code and data on the live version undoes the reset."
          : snapshots === null
            ? "Checking whether a snapshot can be taken first…"
            : "No snapshot can be taken (snapshots are off or the database is past their budget): this cannot be undone. Dump or export what you want to keep first."}
      </ConfirmDialog>
    </section>
  );
}
