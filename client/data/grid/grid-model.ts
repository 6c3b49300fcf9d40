/**
 * The grid's setup for TanStack Table: the features it uses (sizing, resizing, sorting state and
 * row selection; sorting and paging happen on the server), its row type, and column widths.
 */
import {
  columnResizingFeature,
  columnSizingFeature,
  createColumnHelper,
  rowSelectionFeature,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
} from "@tanstack/react-table";
import type { ColumnInfo, Row, RowSort } from "../../../shared/data";

export const features = tableFeatures({
  columnSizingFeature,
  columnResizingFeature,
  rowSortingFeature,
  rowSelectionFeature,
});

export interface GridRow {
  id: string;
  row: Row;
}

export const helper = createColumnHelper<typeof features, GridRow>();
export const ROW_HEIGHT = 28;
/** The id of the checkbox column; data columns are `c0`, `c1`, ... by position. */
export const SELECT_COLUMN = "select";

/** A starting width that fits the header (name, type, PK mark); resizable from there. */
export function widthOf(column: ColumnInfo): number {
  const header = column.name.length * 8 + column.type.length * 6.5 + (column.primaryKey > 0 ? 30 : 0) + 44;
  const type = column.type.toUpperCase();
  const content = /INT|REAL|FLOA|DOUB|NUM|DEC|BOOL/.test(type) ? 90 : /BLOB/.test(type) ? 170 : 160;
  return Math.round(Math.min(360, Math.max(header, content)));
}

export const sortingOf = (sort: RowSort[], columns: ColumnInfo[]): SortingState =>
  sort.flatMap((s) => {
    const index = columns.findIndex((c) => c.name === s.column);
    return index < 0 ? [] : [{ id: `c${index}`, desc: s.descending === true }];
  });
