import type { RowSelectionState, SortingState, Updater } from "@tanstack/react-table";
import { useTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import type { ColumnInfo, Row, RowSort, RowsResponse } from "../../../shared/data";
import { CellContent } from "./CellContent";
import { type CellEdit, CellEditor } from "./CellEditor";
import { editTextOf, keyId } from "./cell-format";
import { GridHeader } from "./GridHeader";
import { features, type GridRow, helper, ROW_HEIGHT, SELECT_COLUMN, sortingOf, widthOf } from "./grid-model";

interface Props {
  table: string;
  /** The page shown; its columns say what the grid's columns are. */
  page: RowsResponse;
  sort: RowSort[];
  onSort(sort: RowSort[]): void;
  filters: Record<string, string>;
  onFilter(column: string, text: string): void;
  selection: RowSelectionState;
  onSelection(selection: RowSelectionState): void;
  /** Saves one cell; rejects with the API's error, which the cell then shows. */
  saveCell(row: Row, column: ColumnInfo, value: string | null): Promise<void>;
  /** Opens the whole value in a dialog (long or multi-line text). */
  openCell(row: Row, column: ColumnInfo): void;
  focusRef?: React.RefObject<(() => void) | null>;
}

export function DataGrid({
  table: tableName,
  page,
  sort,
  onSort,
  filters,
  onFilter,
  selection,
  onSelection,
  saveCell,
  openCell,
  focusRef,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [edit, setEdit] = useState<CellEdit | null>(null);
  const editable = page.readOnly === null;
  // Each read brings the columns anew: keep them (and the grid's column setup) while they are the same.
  const signature = JSON.stringify(page.columns);
  // biome-ignore lint/correctness/useExhaustiveDependencies: signature stands for page.columns
  const columnsInfo = useMemo(() => page.columns, [signature]);

  const data = useMemo<GridRow[]>(
    () => page.rows.map((row, index) => ({ id: keyId(row.key, page.offset + index), row })),
    [page],
  );

  const columns = useMemo(
    () => [
      ...(editable
        ? [helper.display({ id: SELECT_COLUMN, size: 34, enableSorting: false, enableResizing: false })]
        : []),
      ...columnsInfo.map((column, index) =>
        helper.accessor((r: GridRow): unknown => r.row.values[index], {
          id: `c${index}`,
          header: column.name,
          size: widthOf(column),
          minSize: 60,
        }),
      ),
    ],
    [columnsInfo, editable],
  );

  const table = useTable({
    features,
    columns,
    data,
    getRowId: (r) => r.id,
    manualSorting: true,
    sortDescFirst: false,
    enableRowSelection: (r) => r.original.row.key !== null,
    columnResizeMode: "onChange",
    state: { sorting: sortingOf(sort, columnsInfo), rowSelection: selection },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sortingOf(sort, columnsInfo)) : updater;
      onSort(
        next.flatMap((s) => {
          const column = columnsInfo[Number(s.id.slice(1))];
          return column ? [{ column: column.name, descending: s.desc }] : [];
        }),
      );
    },
    onRowSelectionChange: (updater: Updater<RowSelectionState>) =>
      onSelection(typeof updater === "function" ? updater(selection) : updater),
  });

  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 12,
  });

  // Another page, sort or filter starts at the top (and ends an edit, whose row may be gone from
  // view); a live reload of the same one keeps its place and the edit.
  const place = JSON.stringify([page.offset, sort, filters]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: place stands for what it is made of
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setEdit(null);
  }, [place]);

  if (focusRef) {
    focusRef.current = () =>
      (scrollRef.current?.querySelector<HTMLElement>("[data-cell]") ?? scrollRef.current)?.focus();
  }

  const startEdit = (gridRow: GridRow, column: ColumnInfo, index: number) => {
    const value = gridRow.row.values[index] ?? null;
    const text = editTextOf(value);
    if (!editable || gridRow.row.key === null || column.generated || (value !== null && typeof value === "object")) {
      if (value !== null && typeof value === "object" && "text" in value) openCell(gridRow.row, column);
      return;
    }
    if (text === null || text.includes("\n") || text.length > 200) {
      openCell(gridRow.row, column);
      return;
    }
    setEdit({ rowId: gridRow.id, column: column.name, draft: text, error: null, saving: false });
  };

  const commit = (gridRow: GridRow, column: ColumnInfo, value: string | null) => {
    setEdit((e) => (e ? { ...e, saving: true, error: null } : e));
    saveCell(gridRow.row, column, value).then(
      () => setEdit(null),
      (error: unknown) =>
        setEdit((e) =>
          e ? { ...e, saving: false, error: error instanceof Error ? error.message : String(error) } : e,
        ),
    );
  };

  /** Arrow keys move between cells, Enter or F2 edits. */
  const onCellKey = (event: KeyboardEvent<HTMLElement>, rowIndex: number, columnIndex: number) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const r = Math.max(0, Math.min(rows.length - 1, rowIndex + move[0]));
      const c = Math.max(0, Math.min(columnsInfo.length - 1, columnIndex + move[1]));
      virtualizer.scrollToIndex(r);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-cell="${r}:${c}"]`)?.focus());
      return;
    }
    if (event.key === "Enter" || event.key === "F2") {
      const gridRow = rows[rowIndex]?.original;
      const column = columnsInfo[columnIndex];
      if (gridRow && column) {
        event.preventDefault();
        startEdit(gridRow, column, columnIndex);
      }
    }
  };

  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={-1}>
      <table
        className="grid"
        aria-label={`Rows of ${tableName}`}
        aria-rowcount={page.total}
        style={{ width: table.getTotalSize() }}
      >
        <GridHeader table={table} columns={columnsInfo} filters={filters} onFilter={onFilter} />
        <tbody className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const gridRow = row.original;
            const editingHere = edit?.rowId === row.id;
            return (
              <tr
                key={row.id}
                className={`grid-row${row.getIsSelected() ? " selected" : ""}${editingHere ? " editing" : ""}`}
                aria-rowindex={page.offset + item.index + 1}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.getAllCells().map((cell) => {
                  if (cell.column.id === SELECT_COLUMN) {
                    return (
                      <td key={cell.id} className="grid-cell grid-select" style={{ width: 34 }}>
                        <input
                          type="checkbox"
                          aria-label="Select this row"
                          checked={row.getIsSelected()}
                          disabled={!row.getCanSelect()}
                          onChange={() => {}}
                          onClick={row.getToggleSelectedHandler()}
                        />
                      </td>
                    );
                  }
                  const index = Number(cell.column.id.slice(1));
                  const column = columnsInfo[index];
                  if (!column) return null;
                  const value = gridRow.row.values[index] ?? null;
                  const editing = editingHere && edit?.column === column.name ? edit : null;
                  return (
                    <td
                      key={cell.id}
                      className={`grid-cell${editing ? " cell-editing" : ""}${editing?.error ? " cell-failed" : ""}`}
                      data-column={column.name}
                      data-cell={`${item.index}:${index}`}
                      tabIndex={-1}
                      style={{ width: cell.column.getSize() }}
                      onDoubleClick={() => startEdit(gridRow, column, index)}
                      onKeyDown={(event) => onCellKey(event, item.index, index)}
                    >
                      {editing ? (
                        <CellEditor
                          edit={editing}
                          onDraft={(draft) => setEdit((e) => (e ? { ...e, draft } : e))}
                          onSave={(text) => commit(gridRow, column, text)}
                          onCancel={() => setEdit(null)}
                        />
                      ) : (
                        <CellContent value={value} />
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {page.rows.length === 0 ? (
        <div className="grid-empty muted">
          {page.total === 0 && Object.values(filters).every((f) => f.trim() === "")
            ? "No rows yet."
            : "No rows match the filters."}
        </div>
      ) : null}
    </div>
  );
}
