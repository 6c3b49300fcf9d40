/** The data folder as the launcher sees it (data-folder.mjs). */
export declare const DEFAULT_CEILING_MB: number;
/** The operator's ceiling on the data folder in bytes (FACET_IDE_MAX_DATA_FOLDER_MB). */
export function dataFolderCeiling(value?: string, warn?: (message: string) => void): number;
export class DataFolder {
  constructor(dataDir: string, ceiling?: number);
  /** Whether object `id` (64 hex digits) of class `className` has its SQLite file. */
  hasObject(className: string, id: string): boolean;
  /** What the folder holds now, in bytes. */
  bytes(): number;
  /** The desk's answer to a data folder route, or null when `route` is not one. */
  answer(method: string, route: string): { status: number; json?: unknown } | null;
}
