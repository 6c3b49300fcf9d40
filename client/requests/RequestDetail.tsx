import { useEffect, useState } from "react";
import type { RecordedRequest, ReplayOneResponse } from "../../shared/requests";
import { api } from "../lib/api";
import { AnswerDiff } from "./AnswerDiff";
import { BodyView } from "./BodyView";
import { HeaderList } from "./HeaderList";
import { LogLines } from "./LogLines";
import { messageOf, statusClass, versionLabel } from "./messages";
import { OutboundCalls } from "./OutboundCalls";
import { SessionMessages } from "./SessionMessages";

interface Props {
  projectId: string;
  token: string;
  rid: number;
  hasDraft: boolean;
  onClose(): void;
}

/** One recorded request: what it carried, what the app answered, what it logged, how long it took; and its replay. */
export function RequestDetail({ projectId, token, rid, hasDraft, onClose }: Props) {
  const [record, setRecord] = useState<RecordedRequest | null>(null);
  const [replay, setReplay] = useState<ReplayOneResponse | null>(null);
  const [busy, setBusy] = useState<"live" | "draft" | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.request(projectId, token, rid).then(
      (answer) => !cancelled && setRecord(answer),
      (failure) => !cancelled && setError(messageOf(failure)),
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, token, rid]);

  const run = async (target: "live" | "draft") => {
    setBusy(target);
    setError(null);
    try {
      setReplay(await api.replayRequest(projectId, token, rid, target));
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="request-detail" aria-label="Request" data-testid="request-detail">
      <header className="request-detail-header">
        {record ? (
          <>
            <span className="request-method">{record.method}</span>
            <span className="request-path">{record.path}</span>
            <span className={`request-status ${statusClass(record.status, record.exception)}`}>{record.status}</span>
          </>
        ) : (
          <span className="muted">Request {rid}</span>
        )}
        <span className="spacer" />
        {record && !record.websocket && (
          <>
            <button type="button" disabled={busy !== null} onClick={() => void run("live")}>
              {busy === "live" ? "Replaying…" : "Replay on live"}
            </button>
            <button
              type="button"
              disabled={busy !== null || !hasDraft}
              title={hasDraft ? "Send it to the draft, on its copy of the data" : "Make a draft first (Try on a copy)"}
              onClick={() => void run("draft")}
            >
              {busy === "draft" ? "Replaying…" : "Replay on draft"}
            </button>
          </>
        )}
        <button type="button" className="icon-button" aria-label="Close the request" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="request-detail-body">
        {error && <p className="requests-note bad">{error}</p>}
        {replay && <AnswerDiff replay={replay} />}
        {record && (
          <>
            <p className="muted small">
              {new Date(record.at).toLocaleString()} · {record.durationMs} ms · {versionLabel(record)}
              {record.objects.length > 0 ? ` · objects: ${record.objects.join(", ")}` : ""}
              {record.websocket ? " · a WebSocket session (not replayed)" : ""}
            </p>
            <details open>
              <summary>Request</summary>
              <HeaderList headers={record.request.headers} />
              <BodyView body={record.request} />
            </details>
            <details open>
              <summary>Response</summary>
              <HeaderList headers={record.response.headers} />
              <BodyView body={record.response} />
            </details>
            {record.messages && (
              <details open>
                <summary>Messages</summary>
                <SessionMessages messages={record.messages} />
              </details>
            )}
            {record.outbound && (
              <details open>
                <summary>Outbound calls ({record.outbound.length})</summary>
                <OutboundCalls calls={record.outbound} />
              </details>
            )}
            <details open>
              <summary>Logs ({record.logs.length})</summary>
              <LogLines lines={record.logs} />
            </details>
          </>
        )}
      </div>
    </section>
  );
}
