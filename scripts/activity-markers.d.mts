/** Starts every activity marker line apps print: the marker prefix and a space. */
export declare const MARKER_LINE_START: string;
export type Marker =
  | { kind: "enter"; projectId: string; codeId: string; what: string; detail: string; at: number }
  | { kind: "leave"; projectId: string; codeId: string; at: number };
/** Parses one marker line (without its line end), or returns null when it is not one. */
export function parseMarker(line: string, at?: number): Marker | null;
/** Follows a stream of runtime output: remembers the last marker, hands on every other line. */
export class ActivityLog {
  constructor(forward: (text: string) => void);
  last: Marker | null;
  feed(chunk: string): void;
  running(): Extract<Marker, { kind: "enter" }> | null;
  reset(): void;
}
