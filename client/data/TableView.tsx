import type { RowSelectionState } from "@tanstack/react-table";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ColumnInfo, ExportFormat, Row, RowFilter, RowSort } from "../../shared/data";
import { ApiError } from "../lib/api";
import { ConfirmDialog } from "./ConfirmDialog";
import type { DataApi } from "./data-api";
import { saveBlob } from "./data-api";
import { ExportMenu } from "./ExportMenu";
import { CellDialog } from "./grid/CellDialog";
import { editedValue, formatCount } from "./grid/cell-format";
import { DataGrid } from "./grid/DataGrid";
import { parseFilter } from "./grid/filter-syntax";
import { NewRowForm } from "./grid/NewRowForm";
import { Pager } from "./grid/Pager";
import { SchemaView } from "./SchemaView";
import { useLive } from "./useLive";

interface Props {
  api: DataApi;
  table: string;
  version: string | null;
  focusRef?: React.RefObject<(() => void) | null>;
}

const PAGE_SIZES = [50, 100, 200, 500];
/** Typing in a filter box waits this long before asking the server. */
const FILTER_DELAY_MS = 250;

/** One table: its rows (paged, sorted, filtered, editable) or its schema, with export and delete. */
export function TableView({ api, table, version, focusRef }: Props) {
  const [tab, setTab] = useState<"rows" | "schema">("rows");
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState(100);
  const [sort, setSort] = useState<RowSort[]>([]);
  const [filterText, setFilterText] = useState<Record<string, string>>({});
  const [filters, setFilters] = useState<RowFilter[]>([]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [adding, setAdding] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [opened, setOpened] = useState<{ row: Row; column: ColumnInfo } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // Filters reach the server once typing pauses; a new filter starts again at the first page. Only a
  // change does: the timer also runs once the view opens, and a page turned by then must stay turned.
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = Object.entries(filterText).flatMap(([column, text]) => {
        const filter = parseFilter(column, text);
        return filter ? [filter] : [];
      });
      if (JSON.stringify(next) === JSON.stringify(filtersRef.current)) return;
      setFilters(next);
      setOffset(0);
    }, FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filterText]);

  const schema = useLive(table, table, () => api.schema(table), version);
  const query = useMemo(() => ({ offset, limit, sort, filters }), [offset, limit, sort, filters]);
  const page = useLive(table, JSON.stringify(query), () => api.rows(table, query), version);
  const total = page.value?.total ?? 0;

  // Rows deleted elsewhere can leave the page past the end: step back to the last one.
  useEffect(() => {
    if (page.value && offset > 0 && offset >= total) setOffset(Math.max(0, Math.floor((total - 1) / limit) * limit));
  }, [page.value, offset, total, limit]);

  const selectedKeys = Object.keys(selection).filter((id) => selection[id] && !id.startsWith("#"));

  const saveCell = useCallback(
    async (row: Row, column: ColumnInfo, text: string | null) => {
      if (row.key === null) throw new Error("This row cannot be named, so it cannot be edited here");
      const before = row.values[page.value?.columns.findIndex((c) => c.name === column.name) ?? -1] ?? null;
      const value = text === null ? null : editedValue(text, column.type, before);
      await api.updateRow(table, { key: row.key, values: { [column.name]: value } });
      page.reload();
    },
    [api, table, page],
  );

  const exportAs = async (format: ExportFormat) => {
    setProblem(null);
    try {
      saveBlob(await api.exportTable(table, format), `${table}.${format}`);
    } catch (error) {
      setProblem(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const deleteSelected = async () => {
    setConfirmDelete(false);
    try {
      const keys = selectedKeys.map((id) => JSON.parse(id) as (string | number | null)[]);
      const answer = await api.deleteRows(table, { keys });
      setSelection({});
      setProblem(answer.deleted === keys.length ? null : `${answer.deleted} of ${keys.length} rows were still there`);
      page.reload();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
  };

  const info = schema.value;
  const readOnly = page.value?.readOnly ?? info?.readOnly ?? null;
  return (
    <div className="table-view">
      <div className="data-toolbar">
        <span className="table-title" title={table}>
          {table}
        </span>
        {info ? <span className="badge">{info.kind}</span> : null}
        {info?.withoutRowid ? <span className="badge">without rowid</span> : null}
        {info?.strict ? <span className="badge">strict</span> : null}
        <div className="segmented" role="tablist" aria-label="Show">
          <button type="button" role="tab" aria-selected={tab === "rows"} onClick={() => setTab("rows")}>
            Rows
          </button>
          <button type="button" role="tab" aria-selected={tab === "schema"} onClick={() => setTab("schema")}>
            Schema
          </button>
        </div>
        <span className="spacer" />
        {tab === "rows" && readOnly === null ? (
          <>
            {selectedKeys.length > 0 ? (
              <button type="button" className="danger small-button" onClick={() => setConfirmDelete(true)}>
                Delete {selectedKeys.length} {selectedKeys.length === 1 ? "row" : "rows"}
              </button>
            ) : null}
            <button type="button" className="small-button" onClick={() => setAdding(true)} disabled={adding}>
              + Row
            </button>
          </>
        ) : null}
        <ExportMenu onExport={(format) => void exportAs(format)} />
      </div>
      {readOnly && tab === "rows" ? <div className="data-note">{readOnly}</div> : null}
      {problem ? (
        <div className="data-note bad" role="alert">
          {problem}
        </div>
      ) : null}
      {schema.error && !info ? <div className="data-note bad">{schema.error}</div> : null}
      {tab === "schema" ? (
        info ? (
          <SchemaView schema={info} />
        ) : null
      ) : (
        <>
          {adding && page.value ? (
            <NewRowForm
              table={table}
              columns={page.value.columns}
              onCancel={() => setAdding(false)}
              onInsert={async (values) => {
                await api.insertRow(table, { values });
                setAdding(false);
                page.reload();
              }}
            />
          ) : null}
          {page.value ? (
            <DataGrid
              table={table}
              page={page.value}
              sort={sort}
              onSort={(next) => {
                setSort(next);
                setOffset(0);
              }}
              filters={filterText}
              onFilter={(column, text) => setFilterText((f) => ({ ...f, [column]: text }))}
              selection={selection}
              onSelection={setSelection}
              saveCell={saveCell}
              openCell={(row, column) => setOpened({ row, column })}
              focusRef={focusRef}
            />
          ) : (
            <div className="grid-empty muted table-loading">{page.loading ? "Loading…" : ""}</div>
          )}
          {page.error ? <div className="data-note bad">{page.error}</div> : null}
          {page.value ? (
            <Pager
              offset={offset}
              shownOffset={page.value?.offset ?? offset}
              limit={limit}
              total={total}
              totalCapped={page.value?.totalCapped ?? false}
              shown={page.value?.rows.length ?? 0}
              loading={page.loading}
              pageSizes={PAGE_SIZES}
              onOffset={setOffset}
              onLimit={(next) => {
                setLimit(next);
                setOffset(0);
              }}
            />
          ) : null}
        </>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${formatCount(selectedKeys.length)} ${selectedKeys.length === 1 ? "row" : "rows"}?`}
        confirmLabel="Delete"
        onConfirm={() => void deleteSelected()}
        onClose={() => setConfirmDelete(false)}
      >
        The selected {selectedKeys.length === 1 ? "row is" : "rows are"} deleted from <code>{table}</code> in one
        statement. This cannot be undone.
      </ConfirmDialog>
      {opened && page.value ? (
        <CellDialog
          api={api}
          table={table}
          row={opened.row}
          column={opened.column}
          shown={opened.row.values[page.value.columns.findIndex((c) => c.name === opened.column.name)] ?? null}
          editable={readOnly === null && opened.row.key !== null && !opened.column.generated}
          onClose={() => setOpened(null)}
          onSave={async (text) => {
            await saveCell(opened.row, opened.column, text);
            setOpened(null);
          }}
        />
      ) : null}
    </div>
  );
}
