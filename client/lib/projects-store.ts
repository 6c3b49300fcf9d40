/**
 * The projects this browser owns. A project's token is its only key, so it lives here, in the IDE
 * origin's localStorage (the preview runs on other origins and cannot read it). A project an agent
 * created with a key this browser holds is stored with that key in place of its token (the key
 * opens it too) once it is opened here.
 */
import { z } from "zod";
import { storedList } from "./stored-list";

const OwnedProjectSchema = z.object({
  id: z.string(),
  /** The project's token, or an agent key that opens it. */
  token: z.string(),
  previewUrl: z.string(),
  createdAt: z.number(),
  openedAt: z.number(),
});
export type OwnedProject = z.infer<typeof OwnedProjectSchema>;

const stored = storedList("facet-ide:projects", OwnedProjectSchema);
const read = stored.read;
const write = stored.write;

export const projectsStore = {
  list: read,
  get: (id: string) => read().find((p) => p.id === id) ?? null,
  add(project: Omit<OwnedProject, "openedAt" | "createdAt"> & { createdAt?: number }): void {
    const now = Date.now();
    const rest = read().filter((p) => p.id !== project.id);
    write([{ createdAt: now, ...project, openedAt: now }, ...rest]);
  },
  touch(id: string): void {
    write(read().map((p) => (p.id === id ? { ...p, openedAt: Date.now() } : p)));
  },
  remove(id: string): void {
    write(read().filter((p) => p.id !== id));
  },
};

/** The owned projects, most recently opened first. */
export function useOwnedProjects(): OwnedProject[] {
  return [...stored.use()].sort((a, b) => b.openedAt - a.openedAt);
}
