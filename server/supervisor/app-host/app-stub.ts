/**
 * The running app as the supervisor calls it: the wrapper's methods (wrapper.ts) besides fetch, and
 * which of the app's facets a call is about. What the methods return comes from the app's isolate,
 * so it is checked before use (app-channel.ts).
 */
import type { METER_METHOD } from "../../app-runtime/app-meter";
import type { CALL_METHOD, ObjectRef } from "../../app-runtime/object-runtime";
import type { ALARM_METHOD, CLOSE_SOCKETS_METHOD } from "../../app-runtime/wrapper";
import type { SQL_METHOD } from "../console/sql-console";
import type { KV_METHOD, KvCall } from "../data/kv-method";
import type { DumpableApp } from "../time-travel/dump";

export type AppStub = Fetcher &
  DumpableApp & {
    [SQL_METHOD](sql: string, params: unknown[], maxRows: number): Promise<unknown>;
    /** Checked by data/data-browser.ts. */
    [KV_METHOD](call: KvCall): Promise<unknown>;
    [ALARM_METHOD](info: AlarmInvocationInfo, call?: string | null): Promise<unknown>;
    /** A Worker project's object: runs an RPC method as part of the request `call` names (wrapper.ts). */
    [CALL_METHOD](method: string, args: unknown[], call: string | null): Promise<unknown>;
    [CLOSE_SOCKETS_METHOD](code: number, reason: string): Promise<unknown>;
    /** Checked by metering.ts. */
    [METER_METHOD](): Promise<unknown>;
  };

/** Which facet a call is about: the App's (null), or a Worker project's object. */
export type Target = ObjectRef | null;
