/** Starts every activity marker line apps print: the marker prefix and a space. */
export declare const MARKER_LINE_START: string;
export type Marker =
  | { kind: "enter"; tag: string; projectId: string; codeId: string; what: string; detail: string; at: number }
  | { kind: "leave"; tag: string; projectId: string; codeId: string; at: number };
/** Parses one marker line (without its line end), or returns null when it is not one (its tag unchecked). */
export function parseMarker(line: string, at?: number): Marker | null;
/** The tag of `projectId`'s code `codeId` under `key` (node:crypto). */
export function expectedTag(key: string, projectId: string, codeId: string): string;
/** Whether `marker`'s tag is the one `key` gives its project and code. */
export function verifiedMarker(marker: Marker, key: string): boolean;
/** Follows a stream of runtime output: remembers the last verified marker, shows every other line made safe. */
export class ActivityLog {
  constructor(forward: (text: string) => void, key: string);
  last: Marker | null;
  forged: number;
  feed(chunk: string): void;
  running(): Extract<Marker, { kind: "enter" }> | null;
  runningByBeacons(
    beacons: { running: boolean; text: string }[],
    at?: number,
  ): Extract<Marker, { kind: "enter" }> | null;
  reset(): void;
}
