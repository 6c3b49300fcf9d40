import Editor from "@monaco-editor/react";
import { useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { Diagnostic } from "../../shared/api";
import type { SaveState } from "../project/useSave";
import { ConflictPanel } from "./ConflictPanel";
import { DiagnosticsPanel } from "./DiagnosticsPanel";
import { FileTabs } from "./FileTabs";
import type { monaco } from "./monaco-setup";
import { SaveButton } from "./SaveButton";
import type { Workspace } from "./workspace";

interface Props {
  workspace: Workspace;
  saveState: SaveState;
  onSave(): void;
  onDismissProblem(): void;
  onLoadLive(): void;
  onReplaceLive(): void;
  onCompare(): void;
  /** Lets the page focus the editor from a keyboard shortcut. */
  focusRef?: React.RefObject<(() => void) | null>;
  /** "Try on a copy": the editor's files into the draft, on a copy of the live data. */
  draft: {
    exists: boolean;
    busy: boolean;
    error: string | null;
    /** Why drafts cannot work here (the platform cannot copy databases), or null. */
    off: string | null;
    onTry(): void;
    onDismiss(): void;
  };
  /** Said before a save that will keep no snapshot of the data (past the budget), or null. */
  snapshotWarning: string | null;
}

const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  fontFamily: '"JetBrains Mono", "Fira Code", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
  fontSize: 13,
  lineHeight: 20,
  tabSize: 2,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  padding: { top: 8, bottom: 8 },
  fixedOverflowWidgets: true,
  renderLineHighlight: "line",
  smoothScrolling: true,
  stickyScroll: { enabled: false },
  "semanticHighlighting.enabled": true,
};

export function EditorPane({
  workspace,
  saveState,
  onSave,
  onDismissProblem,
  onLoadLive,
  onReplaceLive,
  onCompare,
  focusRef,
  draft,
  snapshotWarning,
}: Props) {
  const snapshot = useSyncExternalStore(workspace.subscribe, workspace.snapshot);
  const [active, setActive] = useState(snapshot.main);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const current = snapshot.files.includes(active) ? active : snapshot.main;

  const diagnostics = saveState.kind === "rejected" ? saveState.diagnostics : [];
  const withErrors = useMemo(() => new Set(diagnostics.map((d) => d.file)), [diagnostics]);

  const reveal = (d: Diagnostic) => {
    const file = snapshot.files.includes(d.file) ? d.file : snapshot.main;
    setActive(file);
    // The model switch happens on the next render; move the cursor after it.
    requestAnimationFrame(() => {
      const editor = editorRef.current;
      if (!editor) return;
      editor.setPosition({ lineNumber: d.line, column: d.column });
      editor.revealLineInCenterIfOutsideViewport(d.line);
      editor.focus();
    });
  };

  return (
    <section className="pane editor-pane" aria-label="Editor">
      <header className="pane-header editor-header">
        <FileTabs
          workspace={workspace}
          snapshot={snapshot}
          active={current}
          onSelect={setActive}
          withErrors={withErrors}
        />
        <span className="spacer" />
        <button
          type="button"
          className="try-button"
          onClick={draft.onTry}
          disabled={draft.busy || draft.off !== null}
          title={
            draft.off ??
            (draft.exists
              ? "Run these files in the draft (its own copy of the data); the live app stays as it is"
              : "Run these files on a copy of the live data, on the draft's own origin; the live app stays as it is")
          }
        >
          {draft.busy ? "Starting…" : draft.exists ? "Update the draft" : "Try on a copy"}
        </button>
        <SaveButton state={saveState} dirty={snapshot.isDirty} onSave={onSave} />
      </header>
      {snapshotWarning && snapshot.isDirty ? (
        <p className="editor-notice warn" role="status" data-testid="snapshot-warning">
          ⚠ {snapshotWarning}
        </p>
      ) : null}
      {draft.error ? (
        <p className="editor-notice bad" role="alert">
          ✖ The draft was not updated: {draft.error}{" "}
          <button type="button" className="link-button" onClick={draft.onDismiss}>
            Dismiss
          </button>
        </p>
      ) : null}
      <div className="editor-host">
        <Editor
          theme="facet-dark"
          path={workspace.uriOf(current)}
          keepCurrentModel
          options={OPTIONS}
          loading={<div className="pane-loading">Loading editor…</div>}
          onMount={(editor) => {
            editorRef.current = editor;
            if (focusRef) focusRef.current = () => editor.focus();
            editor.focus();
          }}
        />
      </div>
      {saveState.kind === "rejected" || saveState.kind === "failed" ? (
        <DiagnosticsPanel state={saveState} onReveal={reveal} onDismiss={onDismissProblem} />
      ) : null}
      {saveState.kind === "conflict" ? (
        <ConflictPanel
          liveVersion={saveState.liveVersion}
          onLoadLive={onLoadLive}
          onReplaceLive={onReplaceLive}
          onCompare={onCompare}
        />
      ) : null}
    </section>
  );
}
