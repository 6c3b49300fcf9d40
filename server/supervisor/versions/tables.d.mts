export declare const SUPERVISOR_SCHEMA: string;
export declare const ADDED_COLUMNS: [table: string, column: string, alter: string][];
