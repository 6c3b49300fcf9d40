/**
 * Steps 1 to 9 of the supervisor's wiring (wiring.ts lists them all): the tables, the store, the log,
 * the limits and metering, and the apps themselves (live and draft, their loader, network and
 * alarms). What the rest of the wiring builds on; nothing here serves a request yet.
 *
 * Tables: none of its own (`createTables` in tables.ts makes every capability's, step 1).
 */
import type { NewLogEntry } from "../../shared/logs";
import { AlarmClock, AppAlarms } from "./app-host/app-alarms";
import { AppHost } from "./app-host/app-host";
import { ExceptionHints } from "./app-host/app-model";
import { LiveSource } from "./app-host/app-source";
import { AppLoader } from "./app-host/loader";
import { ProjectAlarms } from "./app-host/project-alarms";
import { LogRing } from "./console/log-ring";
import { ProjectLog } from "./console/project-log";
import { Terminals } from "./console/terminals";
import { operatorCeilings } from "./metering/ceilings";
import { defaultLimits, ProjectLimits } from "./metering/limits";
import { Metering } from "./metering/metering";
import { NetworkPolicies } from "./network/network-policy";
import { Outbound } from "./network/outbound";
import { ObjectAlarms } from "./objects/object-alarms";
import { objectLabel } from "./objects/object-reference";
import { ObjectRegistry } from "./objects/objects";
import { createTables } from "./tables";
import { DraftCode } from "./time-travel/draft-row";
import { DraftSource } from "./time-travel/draft-source";
import { Snapshots, snapshotDefaults } from "./time-travel/snapshots";
import { Cooldowns } from "./versions/cooldowns";
import { SupervisorStore } from "./versions/store";

export type AppsWiring = ReturnType<typeof wireApps>;

/** Builds steps 1 to 9, in order. */
export function wireApps(ctx: DurableObjectState, env: Env) {
  const sql = ctx.storage.sql;
  // 1. Every capability's tables.
  createTables(sql);

  // 2. versions: the project row, its versions and variables.
  const store = new SupervisorStore(sql);

  // 3. console: the log ring (each batch's requests go to the store's counters), the terminals that
  // listen, and the log that writes to both.
  const logs = new LogRing(sql, store);
  const terminals = new Terminals(ctx);
  const log = new ProjectLog(logs, terminals);
  const write = (entries: NewLogEntry[]) => log.write(entries);

  // 4. metering's limits, and the objects registries of the live app and the draft, within them.
  const ceilings = operatorCeilings(env as unknown as Record<string, unknown>);
  const limits = new ProjectLimits(sql, defaultLimits(env.DEFAULT_LIMITS), ceilings);
  const objectLimit = () => limits.current.objects;
  const objects = {
    live: new ObjectRegistry(sql, "live", objectLimit),
    draft: new ObjectRegistry(sql, "draft", objectLimit),
  };

  // 5. time-travel: the data snapshots. Their notices are system lines, which pass no limit.
  const snapshots = new Snapshots(ctx, snapshotDefaults(env), write, objects.live, ceilings);

  // 5. metering: the meter and the limits (its notices are system lines too).
  const metering = new Metering(sql, env, limits, { say: write, store, terminals, snapshots, objects: objects.live });

  // 6. Lines about the app pass the log limit (metering) and get their hints before they are written.
  const hints = new ExceptionHints();
  const record = (entries: NewLogEntry[]) => log.write(hints.add(metering.filterLogs(entries)));

  // 7. app-host: the loader, and the live app, on the store's current version, metered.
  const policies = new NetworkPolicies(sql);
  const loader = new AppLoader(ctx, env, store, metering, policies);
  const live = new AppHost(ctx, env, new LiveSource(store, loader), record, objects.live, metering);

  // After a freeze blamed on this project, its saves, SQL console and draft wait a while (versions/cooldowns.ts).
  const cooldowns = new Cooldowns(sql);

  // 8. time-travel: the draft's row and its app (not metered: it is the owner's trial, not traffic).
  const draftCode = new DraftCode(sql);
  const draft = new AppHost(
    ctx,
    env,
    new DraftSource(draftCode, store, loader, cooldowns),
    record,
    objects.draft,
    null,
  );
  const recordDraft = (entries: NewLogEntry[]) => record(entries.map((e) => ({ ...e, draft: draftCode.revision })));

  // 8. network: the gateway's side; the draft's calls are its lines, and are not metered.
  const outbound = new Outbound({
    policies,
    store,
    record: (entries, isDraft) => (isDraft ? recordDraft : record)(entries),
    previewDomain: env.PREVIEW_DOMAIN,
    meter: () => metering.subrequest(),
  });

  // 9. The alarms: each object's (objects), the App's and the draft's (app-host), on one real alarm.
  const clock = new AlarmClock(ctx);
  const objectAlarms = {
    live: new ObjectAlarms(ctx, "live", clock, record, labelIn(objects.live)),
    draft: new ObjectAlarms(ctx, "draft", clock, recordDraft, labelIn(objects.draft)),
  };
  const alarms = {
    live: new AppAlarms(ctx, record, "app_alarm", clock),
    draft: new AppAlarms(ctx, recordDraft, "draft_alarm", clock),
  };
  const projectAlarms = new ProjectAlarms({
    clock,
    alarms,
    objectAlarms,
    hosts: { live, draft },
    objects,
    store,
    draft: draftCode,
    meter: metering,
  });

  return {
    sql,
    store,
    logs,
    terminals,
    objects,
    snapshots,
    metering,
    record,
    recordDraft,
    policies,
    loader,
    live,
    cooldowns,
    draftCode,
    draft,
    outbound,
    alarms,
    objectAlarms,
    projectAlarms,
  };
}

/** How an alarm's lines name an object of `registry`: Class:name, or its ID's start once it is gone. */
function labelIn(registry: ObjectRegistry): (id: string) => string {
  return (id) => {
    const ref = registry.ref(id);
    return ref ? objectLabel(ref) : `#${id.slice(0, 8)}`;
  };
}
