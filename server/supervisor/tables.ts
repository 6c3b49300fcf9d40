import { createAssistantTables } from "../assistant/task-table";
import { createAppAlarmTables } from "./app-host/app-alarms";
import { createLogTable } from "./console/log-ring";
import { createMeteringTables } from "./metering/metering";
import { createNetworkTable } from "./network/network-policy";
import { createObjectAlarmTable } from "./objects/object-alarms";
import { createObjectTable } from "./objects/object-table";
import { createRequestTables } from "./requests/request-table";
import { createDraftTable } from "./time-travel/draft-row";
import { createSnapshotTables } from "./time-travel/snapshots";
import { createVersionTables } from "./versions/store";

/**
 * Every capability's tables in the supervisor's SQLite, made (or brought up to date) before any
 * capability reads them. Each capability's module holds its schema and says which tables it owns.
 */
export function createTables(sql: SqlStorage): void {
  // versions: project, versions, env_vars, channel_key (and launcher_verdicts, made by verdicts.ts
  // only under the launcher).
  createVersionTables(sql);
  // console: logs.
  createLogTable(sql);
  // time-travel: draft.
  createDraftTable(sql);
  // app-host: app_alarm, draft_alarm.
  createAppAlarmTables(sql);
  // objects: objects, object_alarm.
  createObjectTable(sql);
  createObjectAlarmTable(sql);
  // metering: limits, meter_minutes, meter_hours, meter_object_minutes, meter_object_hours.
  createMeteringTables(sql);
  // time-travel: snapshots, snapshot_settings, snapshot_objects.
  createSnapshotTables(sql);
  // network: network_policy.
  createNetworkTable(sql);
  // requests: requests, request_settings.
  createRequestTables(sql);
  // assistant (server/assistant/): assistant_tasks, assistant_steps.
  createAssistantTables(sql);
}
