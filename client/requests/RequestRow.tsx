import type { RequestSummary } from "../../shared/requests";
import { statusClass, versionLabel } from "./messages";

interface Props {
  request: RequestSummary;
  selected: boolean;
  onSelect(): void;
}

/** One recorded request in the list: time, method, path, status, duration, version. */
export function RequestRow({ request, selected, onSelect }: Props) {
  const time = new Date(request.at).toLocaleTimeString(undefined, { hour12: false });
  return (
    <button
      type="button"
      role="option"
      aria-selected={selected}
      className={`request-row${selected ? " selected" : ""}`}
      onClick={onSelect}
      data-testid="request-row"
    >
      <span className="request-time muted">{time}</span>
      <span className="request-method">{request.method}</span>
      <span className="request-path" title={request.path}>
        {request.path}
      </span>
      <span className={`request-status ${statusClass(request.status, request.exception)}`}>
        {request.websocket ? "WS" : request.status}
      </span>
      <span className="request-duration muted">{request.durationMs} ms</span>
      <span className={`request-version muted${request.target === "draft" ? " draft" : ""}`}>
        {versionLabel(request)}
      </span>
    </button>
  );
}
