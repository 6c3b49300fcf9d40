import { CodeResponse, VersionNumber } from "../../../shared/api";
import { routes } from "../../../shared/http/routes";
import { RestoreRequest } from "../../../shared/time-travel";
import { asObject, input, routeTool, str, type ToolSpec, toolResult } from "./tool-spec";

export const codeTools: ToolSpec[] = [
  {
    name: "read_code",
    title: "Read the code",
    description:
      "The files of the live version (or of a saved `version`), with its number and main file. Pass that number as baseVersion to write_code.",
    routes: ["getCode", "getVersion"],
    input: input({ version: VersionNumber.optional() }),
    output: CodeResponse,
    readOnly: true,
    async run(args, invoke) {
      const id = str(args.project);
      if (args.version === undefined) return toolResult(await invoke("getCode", { params: { id } }));
      return toolResult(await invoke("getVersion", { params: { id, version: args.version } }));
    },
  },
  routeTool("write_code", "putCode", {
    title: "Save code as the live version",
    description:
      "Saves `files` (every file of the project, by name) as a new version and makes it live: the next request runs it and the database keeps its data. Code that does not compile or start is refused and the live version keeps serving: the error lists each problem as file:line:column message with the source line. Answers the new version, and warnings for code that will fail when it runs. Saving the same content again creates nothing (created: false).",
    readOnly: false,
  }),
  routeTool("list_versions", "listVersions", {
    title: "List saved versions",
    description: "Every saved version, newest first: its number, main file, file names and when it was saved.",
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
