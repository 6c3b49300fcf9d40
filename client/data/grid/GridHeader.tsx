import type { ReactTable } from "@tanstack/react-table";
import type { ColumnInfo } from "../../../shared/data";
import { FILTER_HELP } from "./filter-syntax";
import { type features, type GridRow, SELECT_COLUMN } from "./grid-model";

interface Props {
  table: ReactTable<typeof features, GridRow>;
  columns: ColumnInfo[];
  filters: Record<string, string>;
  onFilter(column: string, text: string): void;
}

/** The grid's two header rows: names (sort, resize, select all) and a filter box per column. */
export function GridHeader({ table, columns: columnsInfo, filters, onFilter }: Props) {
  return (
    <thead className="grid-head">
      <tr className="grid-row grid-header-row">
        {table.getHeaderGroups()[0]?.headers.map((header) => {
          if (header.column.id === SELECT_COLUMN) {
            return (
              <th key={header.id} className="grid-cell grid-select" style={{ width: 34 }}>
                <input
                  type="checkbox"
                  aria-label="Select the rows of this page"
                  checked={table.getIsAllRowsSelected()}
                  ref={(el) => {
                    if (el) el.indeterminate = !table.getIsAllRowsSelected() && table.getIsSomeRowsSelected();
                  }}
                  onChange={table.getToggleAllRowsSelectedHandler()}
                />
              </th>
            );
          }
          const index = Number(header.column.id.slice(1));
          const column = columnsInfo[index];
          if (!column) return null;
          const sorted = header.column.getIsSorted();
          return (
            <th
              key={header.id}
              className="grid-cell grid-header"
              aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
              style={{ width: header.getSize() }}
            >
              <button
                type="button"
                className="grid-sort"
                title={`Sort by ${column.name} (Shift+click adds it to the sort)`}
                onClick={header.column.getToggleSortingHandler()}
              >
                {column.primaryKey > 0 ? (
                  <span className="key-mark" title="Primary key">
                    PK
                  </span>
                ) : null}
                <span className="grid-column-name">{column.name}</span>
                <span className="grid-column-type">{column.type.toLowerCase()}</span>
                <span className="grid-sort-mark">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}</span>
              </button>
              {/* biome-ignore lint/a11y/noStaticElementInteractions: a drag handle; widths can also be left as they are */}
              <span
                className={`grid-resizer${header.column.getIsResizing() ? " active" : ""}`}
                onMouseDown={header.getResizeHandler()}
                onTouchStart={header.getResizeHandler()}
              />
            </th>
          );
        })}
      </tr>
      <tr className="grid-row grid-filter-row">
        {table.getHeaderGroups()[0]?.headers.map((header) => {
          const column = columnsInfo[Number(header.column.id.slice(1))];
          return (
            <td key={header.id} className="grid-cell grid-filter" style={{ width: header.getSize() }}>
              {header.column.id === SELECT_COLUMN || !column ? null : (
                <input
                  aria-label={`Filter ${column.name}`}
                  placeholder="filter"
                  title={FILTER_HELP}
                  value={filters[column.name] ?? ""}
                  onChange={(event) => onFilter(column.name, event.target.value)}
                />
              )}
            </td>
          );
        })}
      </tr>
    </thead>
  );
}
