import type { RefObject } from "react";
import { Group, Panel, Separator, useDefaultLayout } from "react-resizable-panels";
import { PreviewPane } from "../preview/PreviewPane";
import { TerminalPane } from "../terminal/TerminalPane";
import type { ProjectConnection } from "./connection";

interface Props {
  connection: ProjectConnection;
  /** Which app the preview shows and the SQL console runs on. */
  shownView: "live" | "draft";
  /** The draft's preview, when there is a draft. */
  draftPreview: { previewUrl: string; revision: number } | null;
  previewUrl: string;
  liveVersion: number | null;
  /** Bumped when the app restarts without a new version, so the preview reloads. */
  restarts: number;
  focusPreview: RefObject<(() => void) | null>;
  focusTerminal: RefObject<(() => void) | null>;
}

/** The workbench's right-hand column: the preview (live or draft) above the terminal, resizable. */
export function SidePanes({
  connection,
  shownView,
  draftPreview,
  previewUrl,
  liveVersion,
  restarts,
  focusPreview,
  focusTerminal,
}: Props) {
  const rows = useDefaultLayout({ id: "facet-ide:rows", storage: localStorage });
  return (
    <Group
      orientation="vertical"
      className="side-panes"
      defaultLayout={rows.defaultLayout}
      onLayoutChanged={rows.onLayoutChanged}
    >
      <Panel id="preview" defaultSize="55%" minSize="15%">
        {shownView === "draft" && draftPreview ? (
          <PreviewPane
            key="draft"
            kind="draft"
            previewUrl={draftPreview.previewUrl}
            liveVersion={draftPreview.revision}
            restarts={restarts}
            focusRef={focusPreview}
          />
        ) : (
          <PreviewPane
            key="live"
            kind="live"
            previewUrl={previewUrl}
            liveVersion={liveVersion}
            restarts={restarts}
            focusRef={focusPreview}
          />
        )}
      </Panel>
      <Separator className="separator horizontal" />
      <Panel id="terminal" minSize="15%">
        <TerminalPane connection={connection} sqlTarget={shownView} focusRef={focusTerminal} />
      </Panel>
    </Group>
  );
}
