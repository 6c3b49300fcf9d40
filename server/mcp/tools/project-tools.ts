import { routeTool, type ToolSpec } from "./tool-spec";

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
];
