import { DiffEditor } from "@monaco-editor/react";
import { useEffect } from "react";
import { restoreHoverDelegates } from "../editor/monaco-setup";
import { languageOf } from "../editor/workspace";

interface Props {
  file: string;
  /** The version's text of `file`, and the editor's. */
  original: string;
  modified: string;
}

const OPTIONS = {
  readOnly: true,
  originalEditable: false,
  renderSideBySide: true,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  fontSize: 12.5,
  automaticLayout: true,
};

/** A version's file against the editor's, side by side, read-only. */
export function VersionDiff({ file, original, modified }: Props) {
  // The diff editor leaves Monaco's hover delegates bound to services it disposes (monaco-setup.ts).
  useEffect(() => restoreHoverDelegates, []);
  return (
    <DiffEditor
      // Models kept by path and reused: the component disposing them on unmount, before the diff
      // widget had let go of them, threw in Monaco and blanked the page that came next.
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      originalModelPath={`history/original/${file}`}
      modifiedModelPath={`history/modified/${file}`}
      theme="facet-dark"
      language={languageOf(file)}
      original={original}
      modified={modified}
      options={OPTIONS}
    />
  );
}
