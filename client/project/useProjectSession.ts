/** Opens a project: its info and code over HTTP, its files as a Workspace, and its live connection. */
import { useEffect, useState } from "react";
import type { ProjectInfo } from "../../shared/api";
import { messageOf } from "../../shared/errors";
import { Workspace } from "../editor/workspace";
import { api } from "../lib/api";
import type { OwnedProject } from "../lib/projects-store";
import { ProjectConnection } from "./connection";

export type ProjectSession =
  | { state: "loading" }
  | { state: "error"; message: string; status: number }
  | {
      state: "ready";
      info: ProjectInfo;
      workspace: Workspace;
      connection: ProjectConnection;
      /** The version the workspace's files came from (null: no code yet). */
      openedAtVersion: number | null;
    };

/** The code a project with no saved version starts from in the editor. */
const STARTER = `import { DurableObject } from "cloudflare:workers";

/**
 * Your app is one Durable Object: this class, one instance. Save (Ctrl+S) and it is live at once.
 * this.ctx.storage.sql is its own SQLite database, kept across every save; console.log shows in the
 * terminal.
 *
 * Adapting an example that routes by name in a Worker (env.ROOMS.getByName(room))? Add its
 * wrangler.jsonc (main, durable_objects.bindings) and it runs as written, an object per name, each
 * with its own database: a Worker project. Or keep one object: read the name from the request and
 * keep what differs by it in rows keyed by it (the README's "One object or many" has both).
 */
export class App extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    return new Response("Hello from a Durable Object");
  }
}
`;

export function useProjectSession(project: OwnedProject, attempt: number): ProjectSession {
  const [session, setSession] = useState<ProjectSession>({ state: "loading" });

  // `attempt` is a dependency on purpose: a new attempt number means "load again".
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    let cancelled = false;
    let opened: { workspace: Workspace; connection: ProjectConnection } | null = null;
    setSession({ state: "loading" });
    Promise.all([api.project(project.id, project.token), api.code(project.id, project.token)]).then(
      ([info, code]) => {
        if (cancelled) return;
        const blank = Object.keys(code.files).length === 0;
        const workspace = new Workspace(project.id, blank ? {} : code.files, code.main);
        // Nothing is live yet: the starter is an unsaved edit, so the status bar and tab say so.
        if (blank) workspace.add(code.main, STARTER);
        const connection = new ProjectConnection(project.id, project.token);
        connection.noteVersion(info.version);
        connection.start();
        opened = { workspace, connection };
        setSession({ state: "ready", info, workspace, connection, openedAtVersion: code.version });
      },
      (error: unknown) => {
        if (cancelled) return;
        const status = typeof error === "object" && error && "status" in error ? Number(error.status) : 0;
        setSession({ state: "error", message: messageOf(error), status });
      },
    );
    return () => {
      cancelled = true;
      opened?.connection.stop();
      opened?.workspace.dispose();
    };
  }, [project.id, project.token, attempt]);

  return session;
}
