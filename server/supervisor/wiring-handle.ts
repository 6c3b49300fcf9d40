/**
 * Step 12 of the supervisor's wiring (wiring.ts lists them all): what making a project works with
 * (ProjectCreation) and what an opened project's handle works with (ProjectParts), gathered from the
 * capabilities the earlier steps built.
 */
import { AssistantTasks } from "../assistant/task-table";
import type { SqlConsole } from "./console/sql-console";
import { DataBrowser } from "./data/data-browser";
import { deleteProject } from "./handle/project-deletion";
import type { ProjectParts } from "./handle/project-parts";
import { ProjectCreation } from "./handle/project-seed";
import type { RequestRecorder } from "./requests/recorder";
import type { RequestTable } from "./requests/request-table";
import type { Drafts } from "./time-travel/drafts";
import type { CodeSaves } from "./versions/saves";
import type { AppsWiring } from "./wiring-apps";

/** What steps 10 and 11 built, which the handle works with too. */
export interface WorkWiring {
  saves: CodeSaves;
  drafts: Drafts;
  sqlConsole: SqlConsole;
  requests: RequestTable;
  recorder: RequestRecorder;
  packageTypes: ProjectParts["packageTypes"];
}

export function wireHandle(
  ctx: DurableObjectState,
  apps: AppsWiring,
  work: WorkWiring,
): { creation: ProjectCreation; parts: ProjectParts } {
  const { sql, store, live, draft, objects, objectAlarms, snapshots, logs, metering, record, policies, outbound } =
    apps;
  const { saves, drafts, sqlConsole, requests, recorder, packageTypes } = work;
  const dataParts = {
    sql: sqlConsole,
    app: live,
    store,
    snapshots,
    saves,
    record,
    epoch: crypto.randomUUID().slice(0, 8),
  };
  const creation = new ProjectCreation({
    ctx,
    store,
    saves,
    live,
    objects: objects.live,
    logs,
    snapshots,
    network: policies,
  });
  const parts: ProjectParts = {
    store,
    app: live,
    draftApp: draft,
    sql: sqlConsole,
    data: (target) => new DataBrowser(dataParts, target),
    objects: objects.live,
    objectAlarms: objectAlarms.live,
    saves,
    drafts,
    snapshots,
    logs,
    metering,
    record,
    requests,
    recorder,
    remove: () =>
      deleteProject({
        ctx,
        store,
        saves,
        discardDraft: () => drafts.discard(),
        removeLive: (reason) => live.remove(reason),
        forgetSnapshots: () => snapshots.forget(),
        flushLogs: () => logs.flush(),
        forgetRequests: () => requests.discardPending(),
      }),
    network: { policies, outbound },
    assistant: new AssistantTasks(sql),
    packageTypes,
  };

  return { creation, parts };
}
