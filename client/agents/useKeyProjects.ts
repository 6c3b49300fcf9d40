import { useEffect, useState } from "react";
import type { ProjectListing } from "../../shared/api";
import { api } from "../lib/api";
import { useHeldKeys } from "../lib/keys-store";

/** How often the start page asks for the projects of the keys this browser holds (an agent may be creating some). */
const REFRESH_MS = 4_000;

export type KeyProject = ProjectListing & { key: string };

/**
 * The projects created with the agent keys this browser holds, newest first, kept fresh while the
 * page shows them. A key the server does not know (a reset data folder) simply lists nothing.
 */
export function useKeyProjects(): KeyProject[] {
  const keys = useHeldKeys();
  const [projects, setProjects] = useState<KeyProject[]>([]);
  const keyList = keys.map((k) => k.key).join(" ");

  useEffect(() => {
    const held = keyList ? keyList.split(" ") : [];
    if (held.length === 0) {
      setProjects([]);
      return;
    }
    let cancelled = false;
    const load = async () => {
      const lists = await Promise.all(
        held.map((key) =>
          api.keyProjects(key).then(
            (r) => r.projects.map((p) => ({ ...p, key })),
            () => [],
          ),
        ),
      );
      if (!cancelled) setProjects(lists.flat().sort((a, b) => b.createdAt - a.createdAt));
    };
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [keyList]);

  return projects;
}
