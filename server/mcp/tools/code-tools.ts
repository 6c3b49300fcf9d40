import { type CodeResponse as Code, CodeResponse, FilePath, VersionNumber } from "../../../shared/api";
import { routes } from "../../../shared/http/routes";
import { RestoreRequest } from "../../../shared/time-travel";
import { failure, type Outcome, success } from "../../outcome";
import { asObject, type Invoke, input, routeTool, str, type ToolResult, type ToolSpec, toolResult } from "./tool-spec";

/** The live version's files, or a saved version's; with `file`, that one alone. */
async function readCode(args: Record<string, unknown>, invoke: Invoke): Promise<Outcome<Code>> {
  const id = str(args.project);
  const read = (
    args.version === undefined
      ? await invoke("getCode", { params: { id } })
      : await invoke("getVersion", { params: { id, version: args.version } })
  ) as Outcome<Code>;
  if (!read.ok || typeof args.file !== "string") return read;
  const { files } = read.value;
  const file = args.file;
  if (!Object.hasOwn(files, file)) {
    const names = Object.keys(files);
    const which =
      read.value.version === null ? "the project has no version yet" : `v${read.value.version} has ${names.join(", ")}`;
    return failure("not_found", `No file ${file}: ${which}`);
  }
  return success({ ...read.value, files: { [file]: files[file] ?? "" } });
}

const writeCodeRoute = routeTool("write_code", "putCode", {
  title: "Save code as the live version",
  description:
    "Saves `files` (every file of the project, by name: it replaces them all, and a file left out is gone; edit_file changes one file) as a new version and makes it live: the next request runs it and the database keeps its data. `message` labels the version (list_versions and the IDE's History show it). Code that does not compile or start is refused and the live version keeps serving: the error lists each problem as file:line:column message with the source line. Answers the new version, and warnings for code that will fail when it runs and for TypeScript's type errors (file:line:column, the message ending in (TS<code>); the version is live anyway; typeCheck 'running' means the check outlasted the answer and its errors follow in read_logs as a type-check line). Saving the same content again creates nothing (created: false). npm packages: list them in a package.json file's dependencies and import them; the answer's `packages` names the versions used (kept until package.json changes).",
  readOnly: false,
});

/**
 * write_code replaces every file: a call that sends some of them (as if it were a patch) would drop
 * the rest, and its refusal speaks of what the remaining files lack (an App class), which misleads.
 * So the answer says which live files the call left out, and points at edit_file.
 */
async function writeCode(args: Record<string, unknown>, invoke: Invoke): Promise<ToolResult> {
  const live = (await invoke("getCode", { params: { id: str(args.project) } })) as Outcome<Code>;
  const sent = typeof args.files === "object" && args.files !== null ? Object.keys(args.files) : [];
  const left = live.ok ? Object.keys(live.value.files).filter((name) => !sent.includes(name)) : [];
  const result = await writeCodeRoute.run(args, invoke);
  if (left.length === 0 || !live.ok) return result;
  const note = `write_code replaces all the files: this call sent ${sent.length} (${sent.join(", ")}) and left out ${left.join(", ")} of v${live.value.version}, ${result.isError ? "which the new version would not have" : "which the new version no longer has"}. To change one file, use edit_file; to replace the code, send every file.`;
  const [first, ...rest] = result.content;
  const text = result.isError ? `${note}\n\n${first?.text ?? ""}` : `${first?.text ?? ""}\n\n${note}`;
  return { ...result, content: [{ type: "text", text }, ...rest] };
}

export const codeTools: ToolSpec[] = [
  {
    name: "read_code",
    title: "Read the code",
    description:
      "The files of the live version (or of a saved `version`), with its number and main file; with `file`, that file alone. Pass that number as baseVersion to write_code or edit_file.",
    routes: ["getCode", "getVersion"],
    input: input({
      version: VersionNumber.optional(),
      file: FilePath.optional().describe("One file to read (app.ts); all of them when left out"),
    }),
    output: CodeResponse,
    readOnly: true,
    async run(args, invoke) {
      return toolResult(await readCode(args, invoke));
    },
  },
  { ...writeCodeRoute, run: writeCode },
  routeTool("edit_file", "editCode", {
    title: "Edit one file",
    description:
      "Changes one file without resending the others: each edit replaces its oldText, which must occur exactly once in the file (else it is refused, naming the nearest line or how many times it occurs), with newText, in order. One edit with oldText '' creates a file that does not exist (package.json too, for npm packages). Saved as write_code saves (compile checks, warnings, baseVersion), as a new live version, or with target 'draft' as the draft's next revision. `message` labels the version.",
    readOnly: false,
  }),
  routeTool("list_versions", "listVersions", {
    title: "List saved versions",
    description:
      "Every saved version, newest first: its number, its message (the label it was saved with), main file, file names and when it was saved.",
    readOnly: true,
  }),
  {
    name: "restore_version",
    title: "Restore a saved version",
    description:
      "Makes a saved version live again as a new version. With data: true the app's database also goes back to that version's snapshot (rows deleted since come back); today's data is snapshotted first, and the answer's undoWith names the version to restore with data to undo. Without data (the default) only the code goes back. Requests in flight finish first; the app's WebSockets close with 1012.",
    routes: ["restoreVersion"],
    input: input({
      version: VersionNumber,
      data: RestoreRequest.shape.data.optional(),
      object: RestoreRequest.shape.object,
    }),
    output: asObject(routes.restoreVersion.response),
    readOnly: false,
    async run(args, invoke) {
      const params = { id: str(args.project), version: args.version };
      const body = { data: args.data === true, ...(typeof args.object === "string" ? { object: args.object } : {}) };
      return toolResult(await invoke("restoreVersion", { params, body }));
    },
  },
];
