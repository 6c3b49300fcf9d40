import { useEffect, useState } from "react";
import type { SocketStatus } from "../lib/project-socket";
import type { SaveState } from "./useSave";

interface Props {
  projectId: string;
  status: SocketStatus;
  liveVersion: number | null;
  saveState: SaveState;
  dirty: boolean;
  onReconnect(): void;
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

export function StatusBar({ projectId, status, liveVersion, saveState, dirty, onReconnect }: Props) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      <ConnectionState status={status} onReconnect={onReconnect} />
      <span className="status-item" data-testid="live-version">
        {liveVersion === null ? "no version live" : `v${liveVersion} live`}
      </span>
      <SaveSummary state={saveState} dirty={dirty} />
      <span className="spacer" />
      <span className="status-item muted">{projectId}</span>
      <span className="status-item muted keys">Alt+1 editor · Alt+2 preview · Alt+3 terminal · Alt+4 data</span>
    </footer>
  );
}
