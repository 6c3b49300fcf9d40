import { routeTool, type ToolSpec } from "./tool-spec";

export const envTools: ToolSpec[] = [
  routeTool("list_env", "listEnv", {
    title: "List environment variables",
    description: "The app's variables and secrets (secrets without their value), which it reads as this.env.NAME.",
    readOnly: true,
  }),
  routeTool("set_env", "setEnv", {
    title: "Set an environment variable",
    description:
      "Sets a variable (or a secret, whose value is never shown again) that the app reads as this.env.NAME. The app restarts on its current version, so the next request sees it; no save needed.",
    readOnly: false,
  }),
  routeTool("delete_env", "deleteEnv", {
    title: "Delete an environment variable",
    description: "Deletes a variable; the app restarts on its current version without it.",
    readOnly: false,
  }),
];
