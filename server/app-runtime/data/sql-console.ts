/**
 * The SQL console's statement, run inside the app's isolate on the instance's own database (the
 * wrapper's SQL_METHOD; supervisor/console/sql-console.ts sends it and checks the answer). BLOBs come
 * back as the hex of their first 32 bytes and their length. Rows past `maxRows` are only counted,
 * and counting stops after SQL_COUNT_LIMIT rows or SQL_COUNT_MS: a 10-million-row SELECT, or an
 * endless recursive CTE, must not hold the runtime while the console counts. (A single step that
 * never ends, such as count(*) over an endless CTE, cannot be stopped from here: the launcher
 * recovers from that, see README.)
 */
import { originals as O } from "../originals";
import { SQL_COUNT_LIMIT, SQL_COUNT_MS, SQL_RESULT_MAX_BYTES, type SqlAnswer, type SqlAnswerValue } from "../protocol";

/** A column value as the console shows it: a BLOB as the hex of its first 32 bytes and its length. */
export function encodeValue(value: SqlStorageValue): SqlAnswerValue {
  if (!(value instanceof ArrayBuffer)) return value;
  const bytes = new Uint8Array(value);
  let hex = "";
  for (let i = 0; i < bytes.length && i < 32; i++) hex += (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16);
  return { blob: hex, bytes: bytes.length };
}

/** Runs `query` with `params` on `sql`, keeping the first `maxRows` rows. */
export function runSql(sql: SqlStorage, query: string, params: unknown[], maxRows: number): SqlAnswer {
  const started = O.perfNow();
  const cursor = sql.exec(query, ...params);
  const columns = cursor.columnNames;
  const rows: SqlAnswerValue[][] = [];
  let totalRows = 0;
  let bytes = 0;
  let exact = true;
  for (const row of cursor.raw()) {
    totalRows++;
    if (rows.length < maxRows && bytes < SQL_RESULT_MAX_BYTES) {
      const encoded = row.map(encodeValue);
      for (const value of encoded) bytes += typeof value === "string" ? value.length * 2 : 16;
      rows.push(encoded);
    } else if (totalRows >= SQL_COUNT_LIMIT || O.perfNow() - started > SQL_COUNT_MS) {
      exact = false;
      break;
    }
  }
  return {
    columns,
    rows,
    rowsRead: cursor.rowsRead,
    rowsWritten: cursor.rowsWritten,
    durationMs: Math.round((O.perfNow() - started) * 100) / 100,
    truncated: totalRows > rows.length || !exact,
    totalRows,
    totalRowsExact: exact,
  };
}
