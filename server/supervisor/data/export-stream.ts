/**
 * A table's export as a stream: each chunk is one query of 500 rows through the SQL console's path,
 * read when the client wants more, so neither side holds the table and swaps interleave with a long
 * download. Chunks follow the row key (keyset: the next starts after the last key seen), so a chunk
 * at the end of a large table costs what one at the start does; a view, which has no key, and a key
 * holding a BLOB (which comes back cut) go on by offset. A chunk of wide rows can come back with fewer
 * than 500 (the console cuts a result at 8 MiB, sql-console.ts): it says so (`truncated`), and the
 * next chunk goes on after its last row.
 *
 * Every export ends (EXPORT_LIMITS): a view can be endless (a recursive CTE), and each chunk by
 * offset reads every row before it, so an export by offset stops after 100,000 rows (the number the
 * console stops counting at), and any export stops once its queries have taken 30 s in all (a table
 * an app fills as fast as it is read). A stopped export, or one whose query failed, ends with a note
 * in place of the next row, in the file's own format: a CSV record of one field, a JSON string after
 * the row objects (the response's status went out with the first chunk, so the file must say it).
 */

import type { ExportFormat } from "../../../shared/data";
import { messageOf } from "../../../shared/errors";
import type { RunStatement } from "./catalog";
import { encoderFor } from "./export-format";
import { decodeExportRow, type ExportPosition, exportChunk, isBindable } from "./statements";
import type { TableShape } from "./table-shape";

/** Rows per chunk: what one console call returns. */
const CHUNK_ROWS = 500;

export interface ExportLimits {
  /** Rows an export by offset (a view, a BLOB key) carries at most. */
  offsetRows: number;
  /** Time the export's queries may take in all, waited for by the supervisor. */
  queryMs: number;
}

export const EXPORT_LIMITS: ExportLimits = { offsetRows: 100_000, queryMs: 30_000 };

const count = (n: number) => n.toLocaleString("en-US");

export function exportStream(
  shape: TableShape,
  format: ExportFormat,
  run: RunStatement,
  limits: ExportLimits = EXPORT_LIMITS,
  now: () => number = Date.now,
): ReadableStream<Uint8Array> {
  const encoder = encoderFor(format);
  const bytes = new TextEncoder();
  let position: ExportPosition = { offset: 0 };
  let started = false;
  let emitted = 0;
  let queryMs = 0;
  /** Runs one chunk's query, timed; a failure becomes the note that ends the export. */
  const timed = async (limit: number) => {
    const began = now();
    try {
      return await run(exportChunk(shape, position, limit));
    } finally {
      queryMs += now() - began;
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const finish = (note?: string) => {
        const text =
          note === undefined ? encoder.end() : encoder.stop(`Export stopped after ${count(emitted)} rows: ${note}`);
        controller.enqueue(bytes.encode(text));
        controller.close();
      };
      if (!started) {
        started = true;
        controller.enqueue(bytes.encode(encoder.start(shape.columns.map((c) => c.name))));
      }
      try {
        if (queryMs > limits.queryMs) {
          return finish(`its queries took over ${limits.queryMs / 1000} s in all, the most one export may take.`);
        }
        if ("offset" in position && emitted >= limits.offsetRows) {
          // One more row would be past the limit: end as usual if there is none.
          const more = await timed(1);
          if (more.rows.length === 0) return finish();
          return finish(
            `a view (read by offset, each chunk reading every row before it) is exported up to ${count(limits.offsetRows)} rows. Read further with the SQL console (LIMIT and OFFSET), or export the table it reads.`,
          );
        }
        const limit = "offset" in position ? Math.min(CHUNK_ROWS, limits.offsetRows - emitted) : CHUNK_ROWS;
        const result = await timed(limit);
        const rows = result.rows.map((raw) => decodeExportRow(shape, raw));
        emitted += rows.length;
        if (rows.length > 0) controller.enqueue(bytes.encode(encoder.rows(rows.map((r) => r.values))));
        if (rows.length < limit && !result.truncated) return finish();
        const lastKey = rows[rows.length - 1]?.key ?? [];
        position =
          shape.key !== null && lastKey.every(isBindable) ? { after: lastKey.filter(isBindable) } : { offset: emitted };
      } catch (error) {
        finish(messageOf(error));
      }
    },
  });
}
