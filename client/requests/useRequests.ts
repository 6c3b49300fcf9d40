import { useCallback, useEffect, useState } from "react";
import type { RequestSettings, RequestSummary, RequestsQuery } from "../../shared/requests";
import { api } from "../lib/api";
import { messageOf } from "./messages";

/** How often the list is read again while the view is shown (it is recorded as requests come). */
const POLL_MS = 1500;

/** The recorded requests matching `query`, read again every moment while `active`. */
export function useRequests(projectId: string, token: string, query: RequestsQuery, active: boolean) {
  const [requests, setRequests] = useState<RequestSummary[] | null>(null);
  const [settings, setSettings] = useState<RequestSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);

  const load = useCallback(async () => {
    try {
      const answer = await api.requests(projectId, token, JSON.parse(key) as RequestsQuery);
      setRequests(answer.requests);
      setSettings(answer.settings);
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, [projectId, token, key]);

  useEffect(() => {
    if (!active) return;
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [active, load]);

  const changeSettings = useCallback(
    async (change: Partial<RequestSettings>) => {
      try {
        setSettings(await api.setRequestSettings(projectId, token, change));
      } catch (failure) {
        setError(messageOf(failure));
      }
    },
    [projectId, token],
  );

  return { requests, settings, error, changeSettings };
}
