/**
 * A table's export as a stream: each chunk is one query of 500 rows through the SQL console's path,
 * read when the client wants more, so neither side holds the table and swaps interleave with a long
 * download. Chunks follow the row key (keyset: the next starts after the last key seen), so a chunk
 * at the end of a large table costs what one at the start does; a view, which has no key, and a key
 * holding a BLOB (which comes back cut) go on by offset. A chunk of wide rows can come back with fewer
 * than 500 (the console cuts a result at 8 MiB, sql-console.ts): it says so (`truncated`), and the
 * next chunk goes on after its last row.
 */
import type { ExportFormat } from "../../../shared/data";
import type { RunStatement } from "./catalog";
import { encoderFor } from "./export-format";
import { decodeExportRow, type ExportPosition, exportChunk, isBindable } from "./statements";
import type { TableShape } from "./table-shape";

/** Rows per chunk: what one console call returns. */
const CHUNK_ROWS = 500;

export function exportStream(shape: TableShape, format: ExportFormat, run: RunStatement): ReadableStream<Uint8Array> {
  const encoder = encoderFor(format);
  const bytes = new TextEncoder();
  let position: ExportPosition = { offset: 0 };
  let started = false;
  let emitted = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(bytes.encode(encoder.start(shape.columns.map((c) => c.name))));
      }
      const result = await run(exportChunk(shape, position, CHUNK_ROWS));
      const rows = result.rows.map((raw) => decodeExportRow(shape, raw));
      emitted += rows.length;
      if (rows.length > 0) controller.enqueue(bytes.encode(encoder.rows(rows.map((r) => r.values))));
      if (rows.length < CHUNK_ROWS && !result.truncated) {
        controller.enqueue(bytes.encode(encoder.end()));
        controller.close();
        return;
      }
      const lastKey = rows[rows.length - 1]?.key ?? [];
      position =
        shape.key !== null && lastKey.every(isBindable) ? { after: lastKey.filter(isBindable) } : { offset: emitted };
    },
  });
}
