/**
 * The projects this browser owns. A project's token is its only key, so it lives here, in the IDE
 * origin's localStorage (the preview runs on other origins and cannot read it).
 */
import { useSyncExternalStore } from "react";
import { z } from "zod";

const KEY = "facet-ide:projects";

const OwnedProjectSchema = z.object({
  id: z.string(),
  token: z.string(),
  previewUrl: z.string(),
  createdAt: z.number(),
  openedAt: z.number(),
});
export type OwnedProject = z.infer<typeof OwnedProjectSchema>;

const listeners = new Set<() => void>();
let cache: { raw: string | null; list: OwnedProject[] } = { raw: null, list: [] };

function read(): OwnedProject[] {
  const raw = localStorage.getItem(KEY);
  if (raw === cache.raw) return cache.list;
  let list: OwnedProject[] = [];
  try {
    const parsed = z.array(z.unknown()).safeParse(JSON.parse(raw ?? "[]"));
    // Keep every entry that still parses, so one damaged entry does not lose the others' tokens.
    if (parsed.success) list = parsed.data.flatMap((e) => OwnedProjectSchema.safeParse(e).data ?? []);
  } catch {
    list = [];
  }
  cache = { raw, list };
  return list;
}

function write(list: OwnedProject[]): void {
  localStorage.setItem(KEY, JSON.stringify(list));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

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
  const list = useSyncExternalStore(subscribe, read);
  return [...list].sort((a, b) => b.openedAt - a.openedAt);
}
