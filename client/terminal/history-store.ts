/** The SQL console's history, one list per project, in localStorage so it outlives the tab. */
import { z } from "zod";
import type { HistoryStore } from "./line-editor";

const LIMIT = 500;

export function localHistory(projectId: string, storage: Storage = localStorage): HistoryStore {
  const key = `facet-ide:sql-history:${projectId}`;
  const read = (): string[] => {
    try {
      return z
        .array(z.string())
        .catch([])
        .parse(JSON.parse(storage.getItem(key) ?? "[]"));
    } catch {
      return [];
    }
  };
  return {
    entries: read,
    add(entry) {
      const list = read();
      // Like HISTCONTROL=ignoredups: running the same statement twice keeps one entry.
      if (list[list.length - 1] === entry) return;
      list.push(entry);
      try {
        storage.setItem(key, JSON.stringify(list.slice(-LIMIT)));
      } catch {
        // Storage full or disabled: the session still works, it just forgets.
      }
    },
  };
}

export function memoryHistory(initial: string[] = []): HistoryStore {
  const list = [...initial];
  return {
    entries: () => [...list],
    add(entry) {
      if (list[list.length - 1] !== entry) list.push(entry);
    },
  };
}
