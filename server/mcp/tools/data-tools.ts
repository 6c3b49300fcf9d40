import { routeTool, type ToolSpec } from "./tool-spec";

export const dataTools: ToolSpec[] = [
  routeTool("run_sql", "runSql", {
    title: "Run SQL on the app's database",
    description:
      "Runs SQLite on the app's own database, inside the running app (no restart): `sql` with `?` placeholders bound from `params`. Returns columns, rows (at most 500; truncated and totalRows say how many there were), rows read and written. SQLite's error comes back as the message.",
    readOnly: false,
  }),
  routeTool("list_objects", "listObjects", {
    title: "List the Durable Objects",
    description:
      "A Worker project's Durable Objects (a project with a wrangler.jsonc whose durable_objects.bindings name classes; each object has its own SQLite database): ID, class, name (Class:name is how other tools' object argument names one), calls and errors, SQLite rows read and written, last activity and database size, most used first. run_sql, list_tables, read_rows and the kv tools take object; without it they use the object the app uses most. An App project answers worker: false.",
    readOnly: true,
  }),
  routeTool("delete_object", "deleteObject", {
    title: "Delete a Durable Object",
    description:
      "Deletes one of a Worker project's Durable Objects with its database and alarm (object: its ID, Class:name, or a name one object has); the next call to it makes it anew, empty. Frees a place under the project's objects limit.",
    readOnly: false,
  }),
  routeTool("list_tables", "listTables", {
    title: "List the database's tables",
    description:
      "The app's tables and views with their row counts, and its internal tables (_cf_* of the runtime, sqlite_* of SQLite) with what each is.",
    readOnly: true,
  }),
  routeTool("describe_table", "getTableSchema", {
    title: "Describe a table",
    description:
      "A table's columns (type, NOT NULL, default, primary key), its row key, indexes, foreign keys, triggers and CREATE statement.",
    readOnly: true,
  }),
  routeTool("read_rows", "queryRows", {
    title: "Read a table's rows",
    description:
      "A page of a table's rows (offset, limit up to 500), sorted by columns and filtered (all filters must hold), with the total count; long text and BLOBs are shortened and say so (run_sql reads a whole value).",
    readOnly: true,
  }),
  routeTool("list_kv", "listKv", {
    title: "List storage.kv pairs",
    description:
      "The app's ctx.storage.kv pairs in key order (prefix, startAfter the last key of the previous page, limit), each with its type and value as JSON. SQL cannot read these.",
    readOnly: true,
  }),
  routeTool("put_kv", "putKv", {
    title: "Store a storage.kv pair",
    description: "Stores a ctx.storage.kv pair: the value is the JavaScript value its JSON describes.",
    readOnly: false,
  }),
  routeTool("delete_kv", "deleteKv", {
    title: "Delete storage.kv pairs",
    description: "Deletes ctx.storage.kv pairs by key and says how many existed.",
    readOnly: false,
  }),
  routeTool("reset_data", "resetData", {
    title: "Drop all of the app's data",
    description:
      "Drops every table and storage.kv pair (send confirm: true); the app restarts on an empty database. When snapshots are on the data is snapshotted first, and restore_version with the live version and data: true undoes it.",
    readOnly: false,
  }),
];
