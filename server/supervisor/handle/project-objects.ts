/**
 * An opened project's view of a Worker project's Durable Objects (project-handle.ts calls these):
 * the list with sizes and activity, and deleting one with its database and alarm.
 * Tables: none (the registry's is objects/', object-table.ts).
 */
import type { ObjectsResponse } from "../../../shared/objects";
import { failure, type Outcome, success } from "../../outcome";
import { objectLabel } from "../objects/object-reference";
import type { ProjectParts } from "./project-parts";

/** A Worker project's objects, most used first, with their sizes and last activity. */
export async function listObjects({
  app,
  metering,
  objects,
}: Pick<ProjectParts, "app" | "metering" | "objects">): Promise<Outcome<ObjectsResponse>> {
  const limit = metering.limits.current.objects;
  if (app.source.config() === null) return success({ worker: false, objects: [], limit });
  // What the running objects' meters counted until now, so each row's rows read and written are current.
  if (metering.enabled) for (const report of await app.takeMeterReports()) metering.appReport(report);
  // Sizes not measured yet are measured now (each object's database under the neutral code if it is not running).
  for (const object of objects.list()) {
    if (object.bytes !== null) continue;
    const ref = objects.ref(object.id);
    if (ref) objects.setBytes(object.id, await app.dataSizeNow(ref).catch(() => 0));
  }
  return success({ worker: true, objects: objects.list(), limit });
}

/** Deletes a Worker project's object with its database and alarm; the next call to it makes it anew. */
export async function deleteObject(
  { app, record, store, objectAlarms }: Pick<ProjectParts, "app" | "record" | "store" | "objectAlarms">,
  object: string,
): Promise<Outcome<{ deleted: string }>> {
  const target = app.target(object);
  if (!target.ok) return target;
  const ref = target.value;
  if (!ref) return failure("bad_request", "An App project's one object cannot be deleted");
  await app.deleteObject(ref, `${objectLabel(ref)} was deleted`);
  await objectAlarms.remove(ref.id);
  const label = objectLabel(ref);
  record([
    {
      kind: "system",
      level: "info",
      at: Date.now(),
      version: store.project?.currentVersion ?? null,
      object: label,
      message: `${label} was deleted with its database`,
    },
  ]);
  return success({ deleted: label });
}
