import type { TableSchemaResponse } from "../../shared/data";
import { formatCount } from "./grid/cell-format";

const ORIGINS: Record<string, string> = { c: "CREATE INDEX", u: "UNIQUE constraint", pk: "primary key" };

/** A table's columns, keys, indexes, foreign keys and triggers, and the statement that made it. */
export function SchemaView({ schema }: { schema: TableSchemaResponse }) {
  return (
    <div className="schema-view">
      <p className="schema-summary muted">
        {schema.kind === "view" ? "A view" : schema.kind === "virtual" ? "A virtual table" : "A table"}
        {schema.rowCount !== null ? ` of ${formatCount(schema.rowCount)} rows` : ""}.{" "}
        {schema.key
          ? `Rows are named by ${schema.key.join(", ")} when they are edited.`
          : "Its rows cannot be named, so they cannot be edited here."}
      </p>
      <h3>Columns</h3>
      <table className="schema-table">
        <thead>
          <tr>
            <th>name</th>
            <th>type</th>
            <th>not null</th>
            <th>default</th>
            <th>key</th>
          </tr>
        </thead>
        <tbody>
          {schema.columns.map((column) => (
            <tr key={column.name}>
              <td className="mono">{column.name}</td>
              <td className="mono">{column.type || <span className="muted">none</span>}</td>
              <td>{column.notNull ? "yes" : ""}</td>
              <td className="mono">{column.defaultValue ?? ""}</td>
              <td>
                {column.primaryKey > 0
                  ? `primary key${schema.columns.filter((c) => c.primaryKey).length > 1 ? ` (${column.primaryKey})` : ""}`
                  : ""}
                {column.generated ? "generated" : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Indexes</h3>
      {schema.indexes.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="schema-table">
          <tbody>
            {schema.indexes.map((index) => (
              <tr key={index.name}>
                <td className="mono">{index.name}</td>
                <td className="mono">({index.columns.map((c) => c ?? "expression").join(", ")})</td>
                <td>
                  {index.unique ? "unique" : ""}
                  {index.partial ? " partial" : ""}
                </td>
                <td className="muted">{ORIGINS[index.origin] ?? index.origin}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {schema.foreignKeys.length > 0 ? (
        <>
          <h3>Foreign keys</h3>
          <table className="schema-table">
            <tbody>
              {schema.foreignKeys.map((key) => (
                <tr key={`${key.columns.join(",")}->${key.table}`}>
                  <td className="mono">({key.columns.join(", ")})</td>
                  <td className="mono">
                    → {key.table}({key.to.map((c) => c ?? "primary key").join(", ")})
                  </td>
                  <td className="muted">
                    on delete {key.onDelete.toLowerCase()}, on update {key.onUpdate.toLowerCase()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {schema.triggers.length > 0 ? (
        <>
          <h3>Triggers</h3>
          {schema.triggers.map((trigger) => (
            <pre key={trigger.name} className="schema-sql">
              {trigger.sql ?? trigger.name}
            </pre>
          ))}
        </>
      ) : null}
      <h3>Statement</h3>
      <pre className="schema-sql">{schema.sql ?? "(none recorded)"}</pre>
    </div>
  );
}
