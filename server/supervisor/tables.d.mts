export declare const SUPERVISOR_SCHEMA: string;
export declare const ADDED_COLUMNS: [table: string, column: string, alter: string][];
export declare const RECORD_REQUEST_START_SQL: string;
export declare const CLEAR_LAST_REQUEST_SQL: string;
export declare const HANG_SQL: {
  hasLastRequest: string;
  lastRequest: string;
  projectId: string;
  markHung: string;
  appendLog: string;
  clearLastRequest: string;
};
