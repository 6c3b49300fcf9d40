import type { DataEffect } from "../../shared/assistant";

const rows = (n: number | null) => (n === null ? "no table" : n.toLocaleString("en-US"));

/** What the draft did to the data against the live app: tables whose row counts differ, and schema changes. */
export function DataEffectView({ effect }: { effect: DataEffect | null }) {
  if (effect === null) return <p className="muted small">The data effect could not be read.</p>;
  if (effect.tables.length === 0 && effect.schemaChanges.length === 0) {
    return (
      <p className="muted small" data-testid="assistant-data-effect">
        No data changed: every table has the rows and schema the live app has.
      </p>
    );
  }
  return (
    <div data-testid="assistant-data-effect">
      {effect.schemaChanges.length > 0 && (
        <ul className="assistant-schema-changes">
          {effect.schemaChanges.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {effect.tables.length > 0 && (
        <table className="replay-table assistant-effect-table">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Live rows</th>
              <th scope="col">Draft rows</th>
            </tr>
          </thead>
          <tbody>
            {effect.tables.map((table) => (
              <tr key={table.name}>
                <td className="assistant-path">{table.name}</td>
                <td>{rows(table.rowsLive)}</td>
                <td>{rows(table.rowsDraft)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
