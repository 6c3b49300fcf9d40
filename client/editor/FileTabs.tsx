import { useState } from "react";
import { TabNameInput } from "./TabNameInput";
import type { Workspace, WorkspaceSnapshot } from "./workspace";

interface Props {
  workspace: Workspace;
  snapshot: WorkspaceSnapshot;
  active: string;
  onSelect(file: string): void;
  /** Files whose last save was rejected, to mark their tabs. */
  withErrors: ReadonlySet<string>;
}

export function FileTabs({ workspace, snapshot, active, onSelect, withErrors }: Props) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const remove = (file: string) => {
    if (!window.confirm(`Delete ${file}? It goes away from the live app at the next save.`)) return;
    const index = snapshot.files.indexOf(file);
    workspace.remove(file);
    if (file === active) onSelect(snapshot.files[index - 1] ?? snapshot.main);
  };

  return (
    <div className="file-tabs" role="tablist" aria-label="Files">
      {snapshot.files.map((file) =>
        renaming === file ? (
          <TabNameInput
            key={file}
            initial={file}
            validate={(name) => workspace.validateName(name, file)}
            onDone={(name) => {
              setRenaming(null);
              if (name && name !== file) {
                workspace.rename(file, name);
                if (active === file) onSelect(name);
              }
            }}
          />
        ) : (
          <div
            key={file}
            role="tab"
            tabIndex={0}
            aria-selected={file === active}
            className={`file-tab${file === active ? " active" : ""}${withErrors.has(file) ? " has-error" : ""}`}
            title={`${file}${file === snapshot.main ? " (main module)" : ""} · double-click to rename`}
            onClick={() => onSelect(file)}
            onDoubleClick={() => setRenaming(file)}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === " ") onSelect(file);
              if (e.key === "F2") setRenaming(file);
              if (e.key === "Delete" && file !== snapshot.main) remove(file);
            }}
          >
            <span className="file-name">{file}</span>
            {snapshot.dirty.has(file) ? (
              <span className="dirty-dot" role="img" aria-label="unsaved changes" title="Unsaved changes">
                ●
              </span>
            ) : null}
            {file !== snapshot.main ? (
              <button
                type="button"
                className="tab-close"
                aria-label={`Delete ${file}`}
                title={`Delete ${file}`}
                onClick={(e) => {
                  e.stopPropagation();
                  remove(file);
                }}
              >
                ×
              </button>
            ) : null}
          </div>
        ),
      )}
      {adding ? (
        <TabNameInput
          initial=""
          placeholder="name.ts"
          validate={(name) => workspace.validateName(name)}
          onDone={(name) => {
            setAdding(false);
            if (name) {
              workspace.add(name, name.endsWith(".json") ? "{}\n" : "");
              onSelect(name);
            }
          }}
        />
      ) : (
        <button
          type="button"
          className="tab-add"
          title="New file"
          aria-label="New file"
          onClick={() => setAdding(true)}
        >
          +
        </button>
      )}
    </div>
  );
}
