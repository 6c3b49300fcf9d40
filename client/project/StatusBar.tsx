import { useEffect, useState } from "react";
import type { LimitName, MeterSnapshot } from "../../shared/metrics";
import type { SocketStatus } from "../lib/project-socket";
import { formatBytes, formatCount } from "../metrics/format";
import type { SaveState } from "./useSave";

interface Props {
  projectId: string;
  status: SocketStatus;
  liveVersion: number | null;
  saveState: SaveState;
  dirty: boolean;
  meter: MeterSnapshot | null;
  onReconnect(): void;
  onOpenMetrics(): void;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function ConnectionState({ status, onReconnect }: { status: SocketStatus; onReconnect(): void }) {
  const now = useNow(status.state === "waiting");
  switch (status.state) {
    case "open":
      return <span className="status-item ok">● connected</span>;
    case "connecting":
      return <span className="status-item warn">◌ connecting…</span>;
    case "waiting":
      return (
        <button type="button" className="status-item warn link-button" onClick={onReconnect} title="Retry now">
          ○ offline · retry in {Math.max(0, Math.ceil((status.retryAt - now) / 1000))} s
        </button>
      );
    case "stopped":
      return (
        <span className="status-item bad" title={status.reason}>
          ✖ disconnected
        </span>
      );
  }
}

function SaveSummary({ state, dirty }: { state: SaveState; dirty: boolean }) {
  if (state.kind === "saving") return <span className="status-item">saving…</span>;
  if (state.kind === "rejected") return <span className="status-item bad">✖ save rejected: not deployed</span>;
  if (state.kind === "failed") return <span className="status-item bad">✖ save failed</span>;
  if (state.kind === "conflict") {
    return <span className="status-item warn">⚠ v{state.liveVersion} saved elsewhere; your edits are not saved</span>;
  }
  if (dirty) return <span className="status-item warn">● unsaved changes</span>;
  if (state.kind === "saved") {
    return (
      <span className="status-item ok">✔ {state.created ? `saved as v${state.version}` : "no changes to save"}</span>
    );
  }
  if (state.kind === "loaded")
    return <span className="status-item ok">↻ loaded v{state.version}, saved elsewhere</span>;
  return <span className="status-item muted">all changes saved</span>;
}

const LIMIT_LABELS: Record<LimitName, string> = {
  requestsPerMinute: "rate limited (429)",
  databaseBytes: "database full",
  logLinesPerMinute: "log lines dropped",
  cpuMs: "CPU limit",
  subRequests: "subrequest limit",
  objects: "object limit",
  socketMessagesPerSecond: "socket messages dropped",
  projectSocketMessagesPerSecond: "socket messages dropped",
};

/** Requests in the last minute, the database against its limit, and any limit the app is hitting. */
function MeterSummary({ meter, onOpen }: { meter: MeterSnapshot; onOpen(): void }) {
  const { requestsPerMinute, errorsPerMinute, databaseBytes, limits, reached } = meter;
  const full = databaseBytes !== null && databaseBytes >= limits.databaseBytes;
  return (
    <>
      <button
        type="button"
        className="status-item link-button meter-item"
        data-testid="status-requests"
        onClick={onOpen}
        title={`Requests to the app in the last 60 s (limit ${formatCount(limits.requestsPerMinute)} a minute). Open Metrics (Alt+5)`}
      >
        {formatCount(requestsPerMinute)} req/min{errorsPerMinute > 0 ? ` · ${formatCount(errorsPerMinute)} 5xx` : ""}
      </button>
      <button
        type="button"
        className={`status-item link-button meter-item${full ? " bad" : ""}`}
        data-testid="status-database"
        onClick={onOpen}
        title="The app's SQLite database and its size limit. Open Metrics (Alt+5)"
      >
        DB {formatBytes(databaseBytes)} / {formatBytes(limits.databaseBytes)}
      </button>
      {reached.map((limit) => (
        <button
          type="button"
          key={limit.limit}
          className="status-item link-button bad"
          data-testid="status-limit"
          onClick={onOpen}
          title={limit.message}
        >
          ⚠ {LIMIT_LABELS[limit.limit]}
        </button>
      ))}
    </>
  );
}

export function StatusBar({
  projectId,
  status,
  liveVersion,
  saveState,
  dirty,
  meter,
  onReconnect,
  onOpenMetrics,
}: Props) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      <ConnectionState status={status} onReconnect={onReconnect} />
      <span className="status-item" data-testid="live-version">
        {liveVersion === null ? "no version live" : `v${liveVersion} live`}
      </span>
      <SaveSummary state={saveState} dirty={dirty} />
      {meter && <MeterSummary meter={meter} onOpen={onOpenMetrics} />}
      <span className="spacer" />
      <span className="status-item muted">{projectId}</span>
      <span className="status-item muted keys">
        Alt+1 editor · Alt+2 preview · Alt+3 terminal · Alt+4 data · Alt+5 metrics · Alt+6 requests
      </span>
    </footer>
  );
}
