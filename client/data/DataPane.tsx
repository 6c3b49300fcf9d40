import { useEffect, useMemo, useState } from "react";
import type { SnapshotsResponse } from "../../shared/time-travel";
import { ApiError, api as projectApi } from "../lib/api";
import type { ProjectConnection } from "../project/connection";
import { ConfirmDialog } from "./ConfirmDialog";
import { DataApi, saveBlob } from "./data-api";
import { KvView } from "./KvView";
import { ObjectList } from "./ObjectList";
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
const rememberedObject = (project: string) => `facet-ide:data-object:${project}`;
const OBJECTS_REFRESH_MS = 3_000;

/** A count that goes up every `ms` (null: stands still), to read something again now and then. */
function useTicks(ms: number | null): number {
  const [ticks, setTicks] = useState(0);
  useEffect(() => {
    if (ms === null) return;
    const timer = setInterval(() => setTicks((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return ticks;
}

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
  // A Worker project's object whose database is shown (its label); null for an App project.
  const [object, setObject] = useState<string | null>(() => localStorage.getItem(rememberedObject(connection.id)));
  const api = useMemo(() => new DataApi(connection.id, token, object), [connection.id, token, object]);
  const version = useDataVersion(api, connection, active);
  // The list of objects changes when the app makes one anywhere, so it is read again every few seconds too.
  const ticks = useTicks(active ? OBJECTS_REFRESH_MS : null);
  const objects = useLive("objects", "objects", () => projectApi.objects(connection.id, token), `${version}.${ticks}`);
  const worker = objects.value?.worker === true;
  const tables = useLive(`tables ${object}`, `tables ${object}`, () => api.tables(), version);
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

  // A Worker project shows one object at a time: the one picked, else the one the app uses most.
  useEffect(() => {
    const list = objects.value;
    if (!list) return;
    const known = list.objects.some((o) => o.label === object);
    const next = !list.worker ? null : known ? object : (list.objects[0]?.label ?? null);
    if (next !== object) setObject(next);
  }, [objects.value, object]);

  useEffect(() => {
    if (object === null) localStorage.removeItem(rememberedObject(connection.id));
    else localStorage.setItem(rememberedObject(connection.id), object);
  }, [object, connection.id]);

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
        {worker && object ? (
          <span className="pane-hint data-object-shown" data-testid="data-object">
            {object}
          </span>
        ) : (
          <span className="pane-hint">tables · rows · storage.kv</span>
        )}
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
        {worker ? (
          <ObjectList objects={objects.value} error={objects.error} selected={object} onSelect={setObject} />
        ) : null}
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
        title={worker && object ? `Drop ${object}'s data?` : "Drop all of the app's data?"}
        confirmLabel="Drop everything"
        onConfirm={() => void reset()}
        onClose={() => setConfirmReset(false)}
      >
        Every table ({tables.value?.tables.length ?? 0}) and every storage.kv pair of{" "}
        <code>{worker && object ? object : connection.id}</code> is deleted, and{" "}
        {worker
          ? "the object starts again empty the next time the app calls it"
          : "the app starts again on an empty database"}
        . Requests in flight finish first.{" "}
        {snapshotFirst
          ? "A snapshot of the data is taken first: History's Restore code and data on the live version undoes the reset."
          : snapshots === null
            ? "Checking whether a snapshot can be taken first…"
            : "No snapshot can be taken (snapshots are off or the database is past their budget): this cannot be undone. Dump or export what you want to keep first."}
      </ConfirmDialog>
    </section>
  );
}
