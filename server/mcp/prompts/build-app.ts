/**
 * The `build_app` prompt: the loop an agent is advised to follow (draft, request, logs, promote,
 * roll back), as a user message, with the project and the goal filled in.
 */
import text from "./build-app.md?raw";

export function buildAppPrompt(args: { project?: string; goal?: string }): string {
  const project = args.project?.trim() || "(a new one: create_project)";
  const goal = args.goal?.trim() || "whatever the user asks for next.";
  // A function as replacement, so a `$&` in the goal is taken as it is written.
  return text.replace("{{project}}", () => project).replace("{{goal}}", () => goal);
}
