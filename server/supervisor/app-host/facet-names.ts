/**
 * The names of the supervisor's facets: the live App's, the draft's, each version's data snapshot,
 * and a Worker project's objects' under any of them. A facet's name is the name of its database, so
 * these names are part of every project's storage.
 */

export const LIVE_FACET = "app";
export const DRAFT_FACET = "draft";
/** The data `version` left, kept when the next version went live (time-travel/snapshots.ts). */
export const snapshotFacet = (version: number) => `snapshot:v${version}`;
/** Holds a snapshot while the version it belongs to is snapshotted again (restoring the live version's own). */
export const RESTORING_FACET = "snapshot:restoring";
/** A Worker project's object's facet under `base` (LIVE_FACET, DRAFT_FACET, a snapshot's): `app:o:<id>`. */
export const objectFacet = (base: string, id: string) => `${base}:o:${id}`;
