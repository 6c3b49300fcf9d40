/**
 * The names of the supervisor's facets: the live App's, the draft's, and a Worker project's objects'
 * under either (a snapshot's are named in time-travel/snapshots.ts). A facet's name is the name of
 * its database, so these names are part of every project's storage.
 */

export const LIVE_FACET = "app";
export const DRAFT_FACET = "draft";
/** A Worker project's object's facet under `base` (LIVE_FACET, DRAFT_FACET, a snapshot's): `app:o:<id>`. */
export const objectFacet = (base: string, id: string) => `${base}:o:${id}`;
