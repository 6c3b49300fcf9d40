import { AGENT_KEY_PREFIX } from "../../shared/api";
import type { RestoreResponse } from "../../shared/time-travel";
import { ConnectAgentDialog } from "../agents/ConnectAgentDialog";
import type { Workspace } from "../editor/workspace";
import { EnvDialog } from "../env/EnvDialog";
import { HistoryDialog } from "../history/HistoryDialog";

/** The workbench's dialogs the top bar opens. */
export type WorkbenchDialog = "agent" | "history" | "environment";

interface Props {
  projectId: string;
  token: string;
  workspace: Workspace;
  liveVersion: number | null;
  open: WorkbenchDialog | null;
  onClose: (dialog: WorkbenchDialog) => void;
  /** A version was restored: the workbench takes it as the live one. */
  onRestored: (version: number) => void;
  /** A variable changed: the app restarts without a new version. */
  onEnvChanged: () => void;
}

/** Connect an agent, History and Environment, one open at a time. */
export function WorkbenchDialogs({
  projectId,
  token,
  workspace,
  liveVersion,
  open,
  onClose,
  onRestored,
  onEnvChanged,
}: Props) {
  return (
    <>
      <ConnectAgentDialog
        open={open === "agent"}
        onClose={() => onClose("agent")}
        // A project opened with an agent key has no token of its own in this browser to hand out.
        project={token.startsWith(AGENT_KEY_PREFIX) ? undefined : { id: projectId, token }}
      />
      <HistoryDialog
        projectId={projectId}
        token={token}
        workspace={workspace}
        liveVersion={liveVersion}
        open={open === "history"}
        onClose={() => onClose("history")}
        onRestored={(result: RestoreResponse) => {
          onClose("history");
          onRestored(result.version);
        }}
      />
      <EnvDialog
        projectId={projectId}
        token={token}
        open={open === "environment"}
        onClose={() => onClose("environment")}
        onChanged={onEnvChanged}
      />
    </>
  );
}
