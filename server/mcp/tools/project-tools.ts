import { z } from "zod";
import { routes } from "../../../shared/http/routes";
import { ImportProjectRequest } from "../../../shared/time-travel";
import { failure } from "../../outcome";
import { asObject, input, routeTool, str, type ToolSpec, toolResult } from "./tool-spec";

/**
 * The largest export an agent gets in a tool's answer, as compact JSON: an agent pays for every
 * character of it in its context, and the answer carries it twice (text and structured content).
 */
export const MAX_EXPORT_TOOL_CHARS = 1024 * 1024;

/** The bundle as import_project's argument: any object, checked field by field by the route. */
const BundleArgument = z.record(z.string(), z.unknown());

/**
 * Takes the bundle as one argument rather than its fields: the bundle's full schema, spelled out in
 * the tool listing, cost more than all the other tools' inputs together. The route checks it with
 * that schema, and its error names each field that is wrong.
 */
const importProject: ToolSpec = {
  name: "import_project",
  title: "Import a project",
  description:
    "Creates a new project from the bundle export_project gave (its code, variables and data), with an optional name. Answers the new id, token and previewUrl, and secretsToSet (secrets the bundle names without values: set them with set_env). Imported with your agent key, the project belongs to the key.",
  routes: ["importProject"],
  bodyAs: { argument: "bundle", alongside: ["name"] },
  input: input(
    {
      bundle: BundleArgument.describe("The JSON object export_project answered, as it is"),
      name: ImportProjectRequest.shape.name.describe("The new project's name (a random one when left out)"),
    },
    false,
  ),
  output: asObject(routes.importProject.response),
  readOnly: false,
  async run(args, invoke) {
    // Checked already by the input schema; parsed again only to have its type.
    const bundle = BundleArgument.parse(args.bundle);
    const name = typeof args.name === "string" ? { name: args.name } : {};
    return toolResult(await invoke("importProject", { body: { ...bundle, ...name } }));
  },
};

const exportProject: ToolSpec = {
  name: "export_project",
  title: "Export a project",
  description: `The whole project as one JSON bundle (format facet-ide-project/1): live code, variables (secrets without their values) and its data. import_project takes it back as a new project. A bundle over ${MAX_EXPORT_TOOL_CHARS / 1024} KiB is refused: fork_project copies a project without passing it through you, and GET /api/projects/{id}/export downloads any size.`,
  routes: ["exportProject"],
  input: input(),
  output: asObject(routes.exportProject.response),
  readOnly: true,
  async run(args, invoke) {
    const id = str(args.project);
    const exported = await invoke("exportProject", { params: { id } });
    if (!exported.ok) return toolResult(exported);
    const text = JSON.stringify(exported.value);
    const size = text.length;
    if (size > MAX_EXPORT_TOOL_CHARS) {
      return toolResult(
        failure(
          "payload_too_large",
          `The export of ${id} is ${Math.ceil(size / 1024)} KiB, more than the ${MAX_EXPORT_TOOL_CHARS / 1024} KiB a tool's answer carries: fork_project copies it (code, variables, data) without passing it through you, or download it over HTTP (GET /api/projects/${id}/export with its token)`,
        ),
      );
    }
    // Compact: indentation would add a good part again to what the agent reads.
    return { content: [{ type: "text", text }], structuredContent: exported.value as Record<string, unknown> };
  },
};

export const projectTools: ToolSpec[] = [
  routeTool("create_project", "createProject", {
    title: "Create a project",
    description:
      "Creates a project (one app: a Durable Object class App with its own SQLite database) and returns its id, its token and its previewUrl (the app's own origin). Created with your agent key, it belongs to the key: list_projects shows it and every tool reaches it. It starts on the guest-book template unless you pass template 'blank' (or 'chat', 'reminders').",
    readOnly: false,
  }),
  routeTool("list_projects", "listProjects", {
    title: "List your projects",
    description:
      "The projects created with your agent key, newest first, with their previewUrl. Needs an agent key (a project token opens its own project only).",
    readOnly: true,
  }),
  routeTool("list_templates", "listTemplates", {
    title: "List templates",
    description: "The templates create_project can start from, with what each shows.",
    readOnly: true,
  }),
  routeTool("get_project", "getProject", {
    title: "Get a project",
    description:
      "The project's live version (null before the first save), its previewUrl, when it was created and updated, and how many requests the app served and how many failed.",
    readOnly: true,
  }),
  routeTool("fork_project", "forkProject", {
    title: "Fork a project",
    description:
      "Creates a new project with this one's live code, variables, secrets and a copy of its data, and returns its id, token and previewUrl. Forked with your agent key, the copy belongs to the key too.",
    readOnly: false,
  }),
  exportProject,
  importProject,
  routeTool("delete_project", "deleteProject", {
    title: "Delete a project",
    description:
      "Deletes the project for good: code, versions, data, snapshots, draft and its token (which opens nothing after). Cannot be undone: confirm must repeat the project's id. export_project or fork_project first to keep a copy.",
    readOnly: false,
  }),
];
