export declare const SUPERVISOR_SCHEMA: string;
export declare const ADDED_COLUMNS: [table: string, column: string, alter: string][];
export declare const HANG_SQL: {
  hasProject: string;
  project: string;
  versionCode: string;
  newestVersionOfCode: string;
  draft: string;
  markHung: string;
  appendLog: string;
};
