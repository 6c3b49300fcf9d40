import { z } from "zod";
import { DraftInfo, DraftResponse } from "../../../shared/time-travel";
import { success } from "../../outcome";
import { input, routeTool, str, type ToolSpec, toolResult } from "./tool-spec";

/** Each file's size in UTF-8 bytes, by name. */
export function fileSizes(files: Record<string, string>): Record<string, number> {
  const encoder = new TextEncoder();
  return Object.fromEntries(Object.entries(files).map(([name, text]) => [name, encoder.encode(text).length]));
}

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
  {
    name: "get_draft",
    title: "Get the draft",
    description:
      "The draft, or null: code tried on a copy of the live data at its own previewUrl, which the live app never sees. Its revision, main file, the version whose data it copied, and its files' names and sizes in bytes; sources: true answers the files' text instead.",
    routes: ["getDraft"],
    input: input({ sources: z.boolean().optional().describe("The files' text instead of their sizes") }),
    output: z.object({
      draft: DraftInfo.omit({ files: true })
        .extend({
          files: z.record(z.string(), z.string()).optional(),
          sizes: z.record(z.string(), z.number()).optional().describe("Each file's size in bytes (UTF-8)"),
        })
        .nullable(),
    }),
    answerOptions: ["sources"],
    readOnly: true,
    async run(args, invoke) {
      const outcome = await invoke("getDraft", { params: { id: str(args.project) } });
      if (!outcome.ok || args.sources === true) return toolResult(outcome);
      const { draft } = DraftResponse.parse(outcome.value);
      if (!draft) return toolResult(success({ draft }));
      const { files, ...rest } = draft;
      return toolResult(success({ draft: { ...rest, sizes: fileSizes(files) } }));
    },
  },
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
