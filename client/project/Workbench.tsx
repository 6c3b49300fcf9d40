import { lazy, Suspense, useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { Group, Panel, Separator, useDefaultLayout } from "react-resizable-panels";
import type { PromoteDraftResponse } from "../../shared/time-travel";
import { AssistantPanel } from "../assistant/AssistantPanel";
import { EditorPane } from "../editor/EditorPane";
import { usePackageTypes } from "../editor/usePackageTypes";
import { useTypeCheckMarkers } from "../editor/useTypeCheckMarkers";
import type { Workspace } from "../editor/workspace";
import { MetricsView } from "../metrics/MetricsView";
import { ReplayReportDialog } from "../requests/ReplayReportDialog";
import { RequestsView } from "../requests/RequestsView";
import type { ProjectConnection } from "./connection";
import { DraftBar } from "./DraftBar";
import { SidePanes } from "./SidePanes";
import { StatusBar } from "./StatusBar";
import { TopBar } from "./TopBar";
import { useDraft } from "./useDraft";
import { useMainView } from "./useMainView";
import { useProjectEnvTypes } from "./useProjectEnvTypes";
import { useSave } from "./useSave";
import { useSnapshotStatus } from "./useSnapshotStatus";
import { type MainView, ViewRail } from "./ViewRail";
import { assistantIcon, codeIcon, dataIcon, requestsIcon } from "./view-icons";
import { type WorkbenchDialog, WorkbenchDialogs } from "./WorkbenchDialogs";

/** Loaded when first shown: the grid's code stays out of the editor's way until it is wanted. */
const DataPane = lazy(() => import("../data/DataPane").then((m) => ({ default: m.DataPane })));

/** What the main area (left of the preview and terminal) can show. */
const MAIN_VIEWS: MainView[] = [
  { id: "code", label: "Code", shortcut: "Alt+1", icon: codeIcon },
  { id: "data", label: "Data", shortcut: "Alt+4", icon: dataIcon },
  { id: "requests", label: "Requests", shortcut: "Alt+6", icon: requestsIcon },
  { id: "assistant", label: "Assistant", short: "Assist", shortcut: "Alt+7", icon: assistantIcon },
];

interface Props {
  workspace: Workspace;
  connection: ProjectConnection;
  token: string;
  previewUrl: string;
  openedAtVersion: number | null;
}

export function Workbench({ workspace, connection, token, previewUrl, openedAtVersion }: Props) {
  const {
    state: saveState,
    save,
    replaceLive,
    loadLive,
    adopt,
    dismiss,
  } = useSave(workspace, connection, token, openedAtVersion);
  const snapshot = useSyncExternalStore(workspace.subscribe, workspace.snapshot);
  const status = useSyncExternalStore(connection.subscribe, () => connection.status);
  const liveVersion = useSyncExternalStore(connection.subscribe, () => connection.liveVersion);
  const meter = useSyncExternalStore(connection.subscribe, () => connection.meter);
  const columns = useDefaultLayout({ id: "facet-ide:columns", storage: localStorage });

  const [view, setView] = useState<"live" | "draft">("live");
  const draft = useDraft(
    connection.id,
    token,
    workspace,
    useCallback(
      (result: PromoteDraftResponse) => {
        setView("live");
        void adopt(result.version);
      },
      [adopt],
    ),
  );
  const shownView = draft.draft ? view : "live";
  const snapshots = useSnapshotStatus(connection.id, token, snapshot.isDirty, liveVersion);

  const [dialog, setDialog] = useState<WorkbenchDialog | null>(null);
  const [metricsOpen, setMetricsOpen] = useState(false);
  /** "Replay recent traffic" beside Promote: open, and how many times it was asked for. */
  const [replay, setReplay] = useState({ open: false, run: 0 });
  /** Bumped when the app restarts without a new version (an env change), so the preview reloads. */
  const [appRestarts, setAppRestarts] = useState(0);

  useProjectEnvTypes(connection.id, token, workspace, snapshot.files, appRestarts);
  // The packages' types, and the save's type errors that arrive after its answer.
  usePackageTypes(connection, token);
  useTypeCheckMarkers(connection, workspace);

  const { mainView, dataOpened, showView, focus } = useMainView(() => setMetricsOpen((open) => !open));

  // Closing the tab with edits that never reached the server loses them: ask first.
  useEffect(() => {
    if (!snapshot.isDirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [snapshot.isDirty]);

  return (
    <div className="workbench">
      <TopBar
        projectId={connection.id}
        token={token}
        onOpenHistory={() => setDialog("history")}
        onOpenEnvironment={() => setDialog("environment")}
        metricsOpen={metricsOpen}
        onToggleMetrics={() => setMetricsOpen((open) => !open)}
        onConnectAgent={() => setDialog("agent")}
      />
      <WorkbenchDialogs
        projectId={connection.id}
        token={token}
        workspace={workspace}
        liveVersion={liveVersion}
        open={dialog}
        onClose={(closed) => setDialog((open) => (open === closed ? null : open))}
        onRestored={(version) => void adopt(version)}
        onEnvChanged={() => setAppRestarts((n) => n + 1)}
      />
      {draft.draft ? (
        <DraftBar
          draft={draft.draft}
          busy={draft.busy}
          view={shownView}
          onView={setView}
          onPromote={(data) => void draft.promote(data)}
          onReplay={() => setReplay((r) => ({ open: true, run: r.run + 1 }))}
          onDiscard={() => void draft.discard()}
        />
      ) : null}
      <ReplayReportDialog
        projectId={connection.id}
        token={token}
        open={replay.open && draft.draft !== null}
        run={replay.run}
        busy={draft.busy !== null}
        onClose={() => setReplay((r) => ({ ...r, open: false }))}
        onPromote={() => {
          setReplay((r) => ({ ...r, open: false }));
          void draft.promote("live");
        }}
      />
      <Group
        orientation="horizontal"
        className="workbench-panes"
        defaultLayout={columns.defaultLayout}
        onLayoutChanged={columns.onLayoutChanged}
      >
        <Panel id="editor" defaultSize="50%" minSize="20%">
          <div className="main-area">
            <ViewRail views={MAIN_VIEWS} active={mainView} onSelect={showView} />
            <div className="main-view" hidden={mainView !== "code"}>
              <EditorPane
                workspace={workspace}
                saveState={saveState}
                onSave={() => void save()}
                onDismissProblem={dismiss}
                onLoadLive={() => void loadLive()}
                onReplaceLive={() => void replaceLive()}
                onCompare={() => setDialog("history")}
                focusRef={focus.code}
                draft={{
                  exists: draft.draft !== null,
                  busy: draft.busy === "saving",
                  error: draft.error,
                  off: snapshots.draftsOff,
                  onTry: () => void draft.tryOnCopy().then((ok) => ok && setView("draft")),
                  onDismiss: draft.dismissError,
                }}
                snapshotWarning={snapshots.warning}
              />
            </div>
            {dataOpened ? (
              <div className="main-view" hidden={mainView !== "data"}>
                <Suspense fallback={<div className="pane pane-loading">Loading the Data view…</div>}>
                  <DataPane connection={connection} token={token} active={mainView === "data"} focusRef={focus.data} />
                </Suspense>
              </div>
            ) : null}
            <div className="main-view" hidden={mainView !== "requests"}>
              <RequestsView
                projectId={connection.id}
                token={token}
                active={mainView === "requests"}
                hasDraft={draft.draft !== null}
                focusRef={focus.requests}
              />
            </div>
            <div className="main-view" hidden={mainView !== "assistant"}>
              <AssistantPanel
                projectId={connection.id}
                token={token}
                active={mainView === "assistant"}
                draftBusy={draft.busy}
                hasDraft={draft.draft !== null}
                onPromote={draft.promote}
                onDiscard={draft.discard}
                onDraftChanged={draft.refresh}
                focusRef={focus.assistant}
              />
            </div>
          </div>
        </Panel>
        <Separator className="separator vertical" />
        <Panel id="side" minSize="20%">
          <SidePanes
            connection={connection}
            shownView={shownView}
            draftPreview={draft.draft}
            previewUrl={previewUrl}
            liveVersion={liveVersion}
            restarts={appRestarts}
            focusPreview={focus.preview}
            focusTerminal={focus.terminal}
          />
        </Panel>
        {metricsOpen && (
          <>
            <Separator className="separator vertical" />
            <Panel id="metrics" defaultSize="28%" minSize="18%">
              <MetricsView projectId={connection.id} token={token} onClose={() => setMetricsOpen(false)} />
            </Panel>
          </>
        )}
      </Group>
      <StatusBar
        projectId={connection.id}
        status={status}
        liveVersion={liveVersion}
        saveState={saveState}
        dirty={snapshot.isDirty}
        meter={meter}
        onReconnect={() => connection.reconnectNow()}
        onOpenMetrics={() => setMetricsOpen(true)}
      />
    </div>
  );
}
