import { useEffect, useRef, useState } from "react";
import { ApiError } from "../lib/api";

export interface Live<T> {
  value: T | null;
  /** True while the answer for a new `key` is on its way (not while reloading for new data). */
  loading: boolean;
  error: string | null;
  /** Reads again (after an edit), keeping what is shown until the answer comes. */
  reload(): void;
}

/**
 * What `load` answers for `key`, read when the key changes and again, quietly, whenever `version`
 * (the database's change token) moves: what is shown stays until the new answer replaces it, so a
 * grid keeps its scroll position and any edit in progress. A late answer for an older key or read
 * is dropped. `load` must read what `key` describes; a new key with the same `group` (the same
 * table, another page) keeps the old value shown while loading, another group clears it.
 */
export function useLive<T>(group: string, key: string, load: () => Promise<T>, version: string | null): Live<T> {
  const [value, setValue] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const shown = useRef<{ group: string; key: string } | null>(null);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: version and reloads only trigger a read
  useEffect(() => {
    const request = ++latest.current;
    if (shown.current?.key !== key) setLoading(true);
    if (shown.current !== null && shown.current.group !== group) setValue(null);
    loadRef.current().then(
      (answer) => {
        if (request !== latest.current) return;
        shown.current = { group, key };
        setValue(answer);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (request !== latest.current) return;
        shown.current = { group, key };
        setError(cause instanceof ApiError ? cause.message : String(cause));
        setLoading(false);
      },
    );
  }, [group, key, version, reloads]);

  return { value, loading, error, reload: () => setReloads((n) => n + 1) };
}
