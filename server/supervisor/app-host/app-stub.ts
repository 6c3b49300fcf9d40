/**
 * The running app as the supervisor calls it: the wrapper's methods (wrapper.ts) besides fetch, and
 * which of the app's facets a call is about. What the methods return comes from the app's isolate,
 * so it is checked before use (app-channel.ts).
 */
import type {
  ALARM_METHOD,
  CALL_METHOD,
  CLOSE_SOCKETS_METHOD,
  KV_METHOD,
  KvCall,
  METER_METHOD,
  ObjectRef,
  SQL_METHOD,
} from "../../app-runtime/protocol";
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
