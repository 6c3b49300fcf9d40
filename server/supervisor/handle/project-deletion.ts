/**
 * Deleting a project for good (`DELETE /api/projects/{id}`): the draft and its copy of the data, the
 * live app's databases (the App's, each object's), every snapshot's, the alarm, then every row of the
 * supervisor's own database. Queued with the saves, so no save, restore or promotion is half done
 * underneath. Answers the hashes of the credentials that opened it, which the worker then forgets in
 * the key registry (server/keys/); the supervisor resets itself after (ProjectSupervisor.reset), so
 * nothing it kept in memory outlives the project.
 */
import { failure, type Outcome, success } from "../../outcome";
import { objectFacet, RESTORING_FACET, snapshotFacet } from "../app-host/facet-names";
import { createTables } from "../tables";
import type { SupervisorStore } from "../versions/store";

/** Who could open the deleted project, as SHA-256s (the supervisor never sees the secrets). */
export interface DeletedProject {
  id: string;
  tokenHash: string;
  ownerKeyHash: string | null;
}

export interface DeletionParts {
  ctx: DurableObjectState;
  store: SupervisorStore;
  saves: { queue<T>(work: () => Promise<T>): Promise<T> };
  /** Ends the draft (its facets, its alarms) if there is one. */
  discardDraft(): Promise<unknown>;
  /** Ends the live app for good: drains it, closes its sockets, deletes its facets' databases. */
  removeLive(reason: string): Promise<void>;
  /** Forgets what the snapshots keep in memory. */
  forgetSnapshots(): void;
  /** Writes the log lines kept in memory, so the deletion below takes them too. */
  flushLogs(): void;
  /** Drops the recorded requests not written yet, so none is written after the deletion. */
  forgetRequests(): void;
}

export async function deleteProject(parts: DeletionParts): Promise<Outcome<DeletedProject>> {
  const { ctx, store, saves } = parts;
  const project = store.project;
  if (!project) return failure("not_found", "No such project");
  const deleted = { id: project.id, tokenHash: project.tokenHash, ownerKeyHash: project.ownerKeyHash };
  await parts.discardDraft();
  return saves.queue(async () => {
    // Another deletion may have run while this one waited in the queue.
    if (!store.project) return failure("not_found", "No such project");
    await parts.removeLive(`The project ${deleted.id} was deleted`);
    const sql = ctx.storage.sql;
    // Each snapshot is a facet with its own database (and a Worker project's objects under it),
    // which deleteAll below does not reach.
    for (const { version } of sql.exec<{ version: number }>("SELECT version FROM snapshots").toArray()) {
      ctx.facets.delete(snapshotFacet(version));
    }
    for (const { version, id } of sql
      .exec<{ version: number; id: string }>("SELECT version, id FROM snapshot_objects")
      .toArray()) {
      ctx.facets.delete(objectFacet(snapshotFacet(version), id));
    }
    ctx.facets.delete(RESTORING_FACET);
    parts.flushLogs();
    parts.forgetRequests();
    await ctx.storage.deleteAlarm();
    await ctx.storage.deleteAll();
    // The empty tables again, so a call that arrives before the reset finds no project rather than
    // no table; the store forgets the row it kept.
    createTables(sql);
    store.wipe();
    parts.forgetSnapshots();
    return success(deleted);
  });
}
