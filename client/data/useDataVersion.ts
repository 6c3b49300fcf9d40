import { useEffect, useState } from "react";
import type { ProjectConnection } from "../project/connection";
import type { DataApi } from "./data-api";

/**
 * How often the change token is read while the view is shown: writes nobody logs (a WebSocket
 * message the app handles, an agent's console query) show within this, and logged ones (requests,
 * alarms, console output) at once.
 */
const POLL_MS = 700;

/**
 * The database's change token (server: DataBrowser.version), kept fresh while `active`: asked again
 * as soon as the terminal stream reports anything the app did, and every POLL_MS otherwise. Panes
 * reload what they show when it moves; equal tokens mean nothing changed, so nothing reloads.
 */
export function useDataVersion(api: DataApi, connection: ProjectConnection, active: boolean): string | null {
  const [version, setVersion] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let inFlight = false;
    let again = false;
    let poll: ReturnType<typeof setTimeout> | undefined;
    let nudge: ReturnType<typeof setTimeout> | undefined;

    const check = async (): Promise<void> => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        const answer = await api.version();
        if (!stopped) setVersion(answer.version);
      } catch {
        // The server is restarting or unreachable: the next poll tries again.
      } finally {
        inFlight = false;
        if (again && !stopped) {
          again = false;
          void check();
        }
      }
    };
    const schedule = () => {
      poll = setTimeout(async () => {
        if (document.visibilityState === "visible") await check();
        if (!stopped) schedule();
      }, POLL_MS);
    };
    void check();
    schedule();
    const stopListening = connection.listen((event) => {
      if (event.type !== "entries" || event.fromHello) return;
      // A burst of log lines (a request and its console output) needs one look, not one each.
      clearTimeout(nudge);
      nudge = setTimeout(() => void check(), 30);
    });
    return () => {
      stopped = true;
      clearTimeout(poll);
      clearTimeout(nudge);
      stopListening();
    };
  }, [api, connection, active]);

  return version;
}
