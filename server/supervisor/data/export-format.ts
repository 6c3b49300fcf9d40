/**
 * A table's rows as CSV or JSON text, chunk by chunk (the export streams: see data-browser.ts).
 *
 * CSV follows RFC 4180 (CRLF line ends; a field with a comma, quote or line break is quoted, its
 * quotes doubled) and, as PostgreSQL's COPY does, tells NULL from the empty string: NULL is an
 * empty field, '' is `""`. A BLOB is its hex in SQLite's literal form, X'00ff'.
 * A text field that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return: OWASP's "CSV injection") gets a leading `'` and is quoted, so a visitor's
 * `=HYPERLINK(...)` in a guest book opens as text in the owner's spreadsheet. Only text is changed:
 * a number (-2) stays a number, and the header (column names) is text like any other field.
 * JSON is an array of objects, one per row, keyed by column; a BLOB is `{"blob": hex, "bytes": n}`.
 * JSON is exact: no value is changed.
 * An export that stops early (export-stream.ts) ends with a note where the next row would be.
 */
import type { ExportFormat } from "../../../shared/data";

export type ExportValue = string | number | null | { blob: string; bytes: number };

export interface ExportEncoder {
  /** What comes before the first row (the CSV header, the JSON array's opening). */
  start(columns: string[]): string;
  rows(rows: ExportValue[][]): string;
  end(): string;
  /** Ends an export that stopped early, with `note` saying why where the next row would be. */
  stop(note: string): string;
}

export function encoderFor(format: ExportFormat): ExportEncoder {
  return format === "csv" ? csvEncoder() : jsonEncoder();
}

/** What a spreadsheet reads as the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: ExportValue): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "object") return `X'${value.blob.toUpperCase()}'`;
  // A neutralised field is always quoted, as OWASP advises, whether or not RFC 4180 needs it.
  if (FORMULA_START.test(value)) return quoted(`'${value}`);
  return value === "" || /[",\r\n]/.test(value) ? quoted(value) : value;
}

const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;

function csvEncoder(): ExportEncoder {
  const line = (values: ExportValue[]) => `${values.map(csvField).join(",")}\r\n`;
  return {
    start: (columns) => line(columns),
    rows: (rows) => rows.map(line).join(""),
    end: () => "",
    // A record of one field (quoted: it has commas), unlike any row of a table with more columns.
    stop: (note) => line([note]),
  };
}

function jsonEncoder(): ExportEncoder {
  let names: string[] = [];
  let first = true;
  return {
    start(columns) {
      names = columns;
      return "[";
    },
    rows(rows) {
      let text = "";
      for (const values of rows) {
        const object: Record<string, ExportValue> = {};
        names.forEach((name, i) => {
          object[name] = values[i] ?? null;
        });
        text += `${first ? "\n" : ",\n"}${JSON.stringify(object)}`;
        first = false;
      }
      return text;
    },
    end: () => (first ? "]\n" : "\n]\n"),
    // A string among the row objects, so nothing reads it as a row.
    stop: (note) => `${first ? "\n" : ",\n"}${JSON.stringify(note)}\n]\n`,
  };
}
