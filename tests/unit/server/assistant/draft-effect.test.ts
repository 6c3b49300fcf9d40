import { describe, expect, it } from "vitest";
import { filesDiff } from "../../../../server/assistant/diffs";
import { compareTables } from "../../../../server/assistant/draft-effect";

describe("what a task changed", () => {
  it("diffs each file of the draft against live: added, modified, deleted", () => {
    const diffs = filesDiff(
      { "app.ts": "a\nb\n", "old.ts": "x\n", "same.ts": "s\n" },
      { "app.ts": "a\nc\n", "new.ts": "y\n", "same.ts": "s\n" },
    );
    expect(diffs.map((d) => [d.path, d.status])).toEqual([
      ["app.ts", "modified"],
      ["new.ts", "added"],
      ["old.ts", "deleted"],
    ]);
    expect(diffs[0]?.diff).toMatch(/^--- a\/app.ts\n\+\+\+ b\/app.ts\n/);
    expect(diffs[0]?.diff).toContain("-b\n+c");
    expect(diffs[1]?.diff).toContain("--- /dev/null");
  });

  it("compares the tables: row counts that differ, and schema changes", () => {
    const live = new Map([
      ["notes", { sql: "CREATE TABLE notes (id)", rows: 1 }],
      ["users", { sql: "CREATE TABLE users (id)", rows: 3 }],
      ["gone", { sql: "CREATE TABLE gone (id)", rows: 0 }],
    ]);
    const draft = new Map([
      ["notes", { sql: "CREATE TABLE notes (id, text)", rows: 2 }],
      ["users", { sql: "CREATE TABLE users (id)", rows: 3 }],
      ["visits", { sql: "CREATE TABLE visits (at)", rows: 0 }],
    ]);
    expect(compareTables(live, draft)).toEqual({
      tables: [
        { name: "gone", rowsLive: 0, rowsDraft: null },
        { name: "notes", rowsLive: 1, rowsDraft: 2 },
        { name: "visits", rowsLive: null, rowsDraft: 0 },
      ],
      schemaChanges: [
        "dropped table gone",
        "changed table notes: CREATE TABLE notes (id, text)",
        "added table visits: CREATE TABLE visits (at)",
      ],
    });
  });
});
