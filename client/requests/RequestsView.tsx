import { useEffect, useState } from "react";
import { HTTP_METHODS } from "../../shared/api";
import type { RequestsQuery } from "../../shared/requests";
import { RequestDetail } from "./RequestDetail";
import { RequestRow } from "./RequestRow";
import { useRequests } from "./useRequests";

interface Props {
  projectId: string;
  token: string;
  /** Shown now: the list is read again while it is, and not otherwise. */
  active: boolean;
  /** Whether the project has a draft (Replay on draft needs one). */
  hasDraft: boolean;
  focusRef?: React.RefObject<(() => void) | null>;
}

const STATUS_FILTERS = [
  { value: "", label: "Any status" },
  { value: "2xx", label: "2xx" },
  { value: "3xx", label: "3xx" },
  { value: "4xx", label: "4xx" },
  { value: "5xx", label: "5xx" },
  { value: "error", label: "Threw" },
];

/** The Requests view (Alt+6): what the app's origins served, newest first, live; one opens to its detail. */
export function RequestsView({ projectId, token, active, hasDraft, focusRef }: Props) {
  const [status, setStatus] = useState("");
  const [method, setMethod] = useState("");
  const [path, setPath] = useState("");
  const [selected, setSelected] = useState<number | null>(null);
  const query: RequestsQuery = {
    limit: 200,
    ...(status ? { status } : {}),
    ...(method ? { method: HTTP_METHODS.find((m) => m === method) } : {}),
    ...(path ? { path } : {}),
  };
  const { requests, settings, error, changeSettings } = useRequests(projectId, token, query, active);
  const [filterInput, setFilterInput] = useState<HTMLInputElement | null>(null);
  useEffect(() => {
    if (focusRef) focusRef.current = () => filterInput?.focus();
  }, [focusRef, filterInput]);

  return (
    <section className="pane requests-pane" aria-label="Requests" data-testid="requests-view">
      <header className="pane-header requests-header">
        <span className="pane-title">Requests</span>
        <input
          ref={setFilterInput}
          className="requests-filter"
          type="search"
          placeholder="Filter by path"
          aria-label="Filter by path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <select aria-label="Method" value={method} onChange={(e) => setMethod(e.target.value)}>
          <option value="">Any method</option>
          {HTTP_METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <span className="spacer" />
        {settings && (
          <label className="requests-recording small" title={`Keeps the last ${settings.keep} requests`}>
            <input
              type="checkbox"
              checked={settings.enabled}
              onChange={(e) => void changeSettings({ enabled: e.target.checked })}
            />
            Recording
          </label>
        )}
      </header>
      <div className="requests-body">
        <div className="requests-list" role="listbox" aria-label="Recorded requests">
          {error && <p className="requests-note bad">{error}</p>}
          {requests === null && !error && <p className="requests-note">Loading…</p>}
          {requests?.length === 0 && (
            <p className="requests-note">
              No requests yet{status || method || path ? " match" : ""}. Open the preview or send one to the app; each
              shows here as it is served.
            </p>
          )}
          {requests?.map((request) => (
            <RequestRow
              key={request.id}
              request={request}
              selected={request.id === selected}
              onSelect={() => setSelected(request.id)}
            />
          ))}
        </div>
        {selected !== null && (
          <RequestDetail
            key={selected}
            projectId={projectId}
            token={token}
            rid={selected}
            hasDraft={hasDraft}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
    </section>
  );
}
