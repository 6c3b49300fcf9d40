/**
 * What the Data view (data-browser.ts) works with, each a narrow view of the capability that has it:
 * the live app's database access, the SQL console's path, the snapshots, the save queue and the log.
 */
import type { VersionData } from "../../../shared/api";
import type { NewLogEntry } from "../../../shared/logs";
import type { SqlResult } from "../../../shared/sql";
import type { ObjectRef } from "../../app-runtime/protocol";
import type { Outcome } from "../../outcome";
import type { AppStub, Target } from "../app-host/app-stub";
import type { DatabaseAccess } from "../time-travel/dump";
import type { Statement } from "./statements";

/** The live app as the Data view reaches it (app-host/app-host.ts). */
export interface DataHost extends DatabaseAccess {
  /** Counts the facet's restarts, which start SQLite's change count again. */
  readonly generation: number;
  inApp<T>(label: string, work: (app: AppStub) => Promise<T>, target?: Target): Promise<T>;
  totalDataSize(): Promise<number>;
  deleteObject(ref: ObjectRef, reason: string): Promise<void>;
  deleteData(version: number | null, reason: string, beforeAbort?: () => Promise<void>): Promise<void>;
}

/** What the Data view works with, each a narrow view of the capability that has it. */
export interface DataParts {
  /** The SQL console (console/sql-console.ts): runs a statement on the database of `target`. */
  sql: { runOn(host: DataHost, target: Target, statement: Statement): Promise<Outcome<SqlResult>> };
  app: DataHost;
  store: { readonly project: { readonly currentVersion: number | null } | null };
  /** The data snapshots (time-travel/snapshots.ts): a reset snapshots the data first when it can. */
  snapshots: {
    unavailable(): string | null;
    take(version: number, measure: () => Promise<number>): Promise<VersionData>;
  };
  /** A reset queues behind saves, restores and promotions, as they queue behind each other (versions/saves.ts). */
  saves: { queue<T>(work: () => Promise<T>): Promise<T> };
  record(entries: NewLogEntry[]): void;
  /** Tells this supervisor instance's change tokens from an earlier one's. */
  epoch: string;
}
