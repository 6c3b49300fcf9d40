import type { TablesResponse } from "../../shared/data";
import { formatCount } from "./grid/cell-format";

export type DataSelection = { kind: "table"; name: string } | { kind: "kv" };

interface Props {
  tables: TablesResponse | null;
  error: string | null;
  selected: DataSelection | null;
  onSelect(selection: DataSelection): void;
}

const ICONS = { table: "▦", view: "◫", virtual: "⌕" } as const;

/** The app's tables with their row counts, storage.kv, and the internal tables explained. */
export function TableList({ tables, error, selected, onSelect }: Props) {
  const isSelected = (name: string) => selected?.kind === "table" && selected.name === name;
  return (
    <nav className="data-sidebar" aria-label="Tables">
      <div className="data-sidebar-heading">Tables</div>
      {error && !tables ? <p className="data-sidebar-note bad">{error}</p> : null}
      {tables && tables.tables.length === 0 ? (
        <p className="data-sidebar-note">
          No tables yet. The app makes them when it runs, or type <code>CREATE TABLE</code> in the terminal.
        </p>
      ) : null}
      <ul className="data-tables">
        {tables?.tables.map((table) => (
          <li key={table.name}>
            <button
              type="button"
              className={`data-table-button${isSelected(table.name) ? " active" : ""}`}
              aria-current={isSelected(table.name) ? "true" : undefined}
              title={`${table.kind} ${table.name}`}
              onClick={() => onSelect({ kind: "table", name: table.name })}
            >
              <span className="data-table-icon" aria-hidden="true">
                {ICONS[table.kind]}
              </span>
              <span className="data-table-name">{table.name}</span>
              <span className="data-table-count" data-testid={`count-${table.name}`}>
                {table.rowCount === null ? "" : formatCount(table.rowCount)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="data-sidebar-heading">Key-value</div>
      <ul className="data-tables">
        <li>
          <button
            type="button"
            className={`data-table-button${selected?.kind === "kv" ? " active" : ""}`}
            aria-current={selected?.kind === "kv" ? "true" : undefined}
            title="The pairs of ctx.storage.kv"
            onClick={() => onSelect({ kind: "kv" })}
          >
            <span className="data-table-icon" aria-hidden="true">
              ⚷
            </span>
            <span className="data-table-name">storage.kv</span>
          </button>
        </li>
      </ul>
      {tables && tables.internal.length > 0 ? (
        <details className="data-internal">
          <summary className="data-sidebar-heading">Internal ({tables.internal.length})</summary>
          <ul className="data-tables">
            {tables.internal.map((table) => (
              <li key={table.name}>
                <button
                  type="button"
                  className={`data-table-button internal${isSelected(table.name) ? " active" : ""}`}
                  title={table.note}
                  disabled={!table.readable}
                  onClick={() => onSelect({ kind: "table", name: table.name })}
                >
                  <span className="data-table-name">{table.name}</span>
                </button>
                <p className="data-internal-note">{table.note}</p>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </nav>
  );
}
