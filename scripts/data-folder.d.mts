/** The data folder as the launcher sees it (data-folder.mjs). */
export class DataFolder {
  constructor(dataDir: string);
  /** Whether object `id` (64 hex digits) of class `className` has its SQLite file. */
  hasObject(className: string, id: string): boolean;
  /** What the folder holds, in bytes (at most a second old). */
  bytes(now?: number): number;
  /** The desk's answer to a data folder route, or null when `route` is not one. */
  answer(method: string, route: string): { status: number; json?: unknown } | null;
}
