/**
 * A list kept in the IDE origin's localStorage under one key, validated entry by entry (a damaged
 * entry is dropped, the others kept), shared by every tab: a change in one tab reaches the others
 * through the `storage` event, and React components read it with `useSyncExternalStore`.
 */
import { useSyncExternalStore } from "react";
import { z } from "zod";

export interface StoredList<T> {
  read(): T[];
  write(list: T[]): void;
  /** The current list, re-rendering on every change. */
  use(): T[];
}

export function storedList<T>(key: string, schema: z.ZodType<T>): StoredList<T> {
  const listeners = new Set<() => void>();
  let cache: { raw: string | null; list: T[] } = { raw: null, list: [] };

  const read = (): T[] => {
    const raw = localStorage.getItem(key);
    if (raw === cache.raw) return cache.list;
    let list: T[] = [];
    try {
      const parsed = z.array(z.unknown()).safeParse(JSON.parse(raw ?? "[]"));
      if (parsed.success) list = parsed.data.flatMap((e) => schema.safeParse(e).data ?? []);
    } catch {
      list = [];
    }
    cache = { raw, list };
    return list;
  };

  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key === key) listener();
    };
    window.addEventListener("storage", onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener("storage", onStorage);
    };
  };

  return {
    read,
    write(list) {
      localStorage.setItem(key, JSON.stringify(list));
      for (const listener of listeners) listener();
    },
    use: () => useSyncExternalStore(subscribe, read),
  };
}
