/**
 * The project in one document (shared/time-travel.ts, ProjectBundle), for a fork or an export: the
 * live code, the variables (secret values only for a fork), the network policy, a dump of the App's data and one of each
 * of a Worker project's objects. project-seed.ts makes a project of one.
 */
import type { EnvVarInfo } from "../../../shared/api";
import type { DataDump } from "../../../shared/dump";
import type { NetworkPolicy } from "../../../shared/network/policy";
import type { ProjectBundle } from "../../../shared/time-travel";
import type { ObjectRef } from "../../app-runtime/protocol";
import { type Outcome, success } from "../../outcome";
import { type DatabaseAccess, takeDump } from "../time-travel/dump";
import type { ProjectRow, VersionRow } from "../versions/store";

/** What a bundle is made of, each a narrow view of the capability that has it. */
export interface BundleParts {
  store: {
    readonly project: ProjectRow | null;
    currentVersion(): VersionRow | null;
    appEnv(): { values: Record<string, string> };
    listEnv(): EnvVarInfo[];
  };
  /** The network policy (network/network-policy.ts). */
  network: { readonly policy: NetworkPolicy };
  /** The live app, whose databases are dumped while no request runs (time-travel/dump.ts). */
  live: DatabaseAccess;
  /** The live app's objects (a Worker project's). */
  objects: { list(): { id: string }[]; ref(id: string): ObjectRef | null };
}

/**
 * The project as a bundle; secret values only `withSecrets` (a fork; an export leaves them out).
 * `dumpData` dumps the App's data (ProjectHandle.dumpData).
 */
export async function projectBundle(
  parts: BundleParts,
  withSecrets: boolean,
  dumpData: () => Promise<Outcome<DataDump>>,
): Promise<Outcome<ProjectBundle>> {
  const { store, live } = parts;
  const current = store.currentVersion();
  const values = store.appEnv().values;
  const env = store
    .listEnv()
    .map((v) =>
      v.secret && !withSecrets
        ? { name: v.name, secret: true }
        : { name: v.name, secret: v.secret, value: values[v.name] ?? "" },
    );
  const data = await dumpData();
  if (!data.ok) return data;
  const objects: NonNullable<ProjectBundle["objects"]> = [];
  for (const { id } of parts.objects.list()) {
    const ref = parts.objects.ref(id);
    if (!ref) continue;
    const dump = await takeDump(live, ref);
    if (!dump.ok) return dump;
    objects.push({ class: ref.class, id: ref.id, name: ref.name, data: dump.value });
  }
  return success({
    format: "facet-ide-project/1",
    exportedAt: Date.now(),
    source: { id: store.project?.id ?? "", version: current?.version ?? null },
    main: current?.main ?? "app.ts",
    files: current?.files ?? {},
    ...(current && current.lock.length > 0 ? { lock: current.lock } : {}),
    env,
    data: data.value,
    ...(objects.length > 0 ? { objects } : {}),
    ...(parts.network.policy.allow.length > 0 ? { network: parts.network.policy } : {}),
  });
}
