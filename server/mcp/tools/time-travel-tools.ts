import { routeTool, type ToolSpec } from "./tool-spec";

export const timeTravelTools: ToolSpec[] = [
  routeTool("take_snapshot", "takeSnapshot", {
    title: "Snapshot the data now",
    description:
      "Snapshots the app's database now, as the live version's snapshot: do it before a risky change to the data, and restore_version with the live version and data: true goes back to it. (Every save snapshots the data anyway, within the retention get_snapshots shows.)",
    readOnly: false,
  }),
  routeTool("get_snapshots", "getSnapshots", {
    title: "Snapshot retention",
    description:
      "Whether data snapshots are on, how many versions and bytes they keep, what is kept now, and whether the live database fits (a save snapshots it only then).",
    readOnly: true,
  }),
  routeTool("set_snapshot_settings", "setSnapshotSettings", {
    title: "Change snapshot retention",
    description:
      "Sets how many versions' data snapshots to keep (maxVersions, 0 turns them off) and how many bytes in all (maxBytes); snapshots past the new limits are dropped, oldest first.",
    readOnly: false,
  }),
  routeTool("get_draft", "getDraft", {
    title: "Get the draft",
    description:
      "The draft, if there is one: code being tried on a copy of the live data at its own previewUrl, which the live app never sees. Null when there is none.",
    readOnly: true,
  }),
  routeTool("write_draft", "putDraftCode", {
    title: "Try code on a copy of the data",
    description:
      "Saves files into the draft and runs them there, on a copy of the live data made at the first draft save: try a change (a migration, say) without touching the live app. Answers the draft's previewUrl; request it, or run_sql with target 'draft', to check it. Refused as write_code is, with file:line:column and the source line. promote_draft makes it live, discard_draft drops it.",
    readOnly: false,
  }),
  routeTool("promote_draft", "promoteDraft", {
    title: "Make the draft live",
    description:
      "Makes the draft's code the next live version and ends the draft. data 'live' keeps the live data (the new code runs on it), 'draft' replaces the live data with the draft's (the live data is snapshotted first).",
    readOnly: false,
  }),
  routeTool("discard_draft", "discardDraft", {
    title: "Discard the draft",
    description: "Deletes the draft, its code and its copy of the data; the live app is untouched.",
    readOnly: false,
  }),
];
