/**
 * Alarms for facets, which cannot set their own: `ctx.storage.setAlarm`, `getAlarm` and
 * `deleteAlarm` go to the supervisor through the AlarmBridge, which holds the real alarm and calls
 * the instance back (ALARM_METHOD, app-class.ts).
 */
import type { AlarmBridge } from "./logs/logs";
import { type Bare, originals as O } from "./originals";

/** Replaces `storage`'s alarm methods with ones that ask `alarms`. */
export function routeAlarmsTo(storage: DurableObjectStorage, alarms: AlarmBridge): void {
  const define = (name: string, value: unknown) => {
    const descriptor: Bare<PropertyDescriptor> = { __proto__: null, value, configurable: true, writable: true };
    O.defineProperty(storage, name, descriptor);
  };
  define("setAlarm", async (when: unknown) => {
    const time = when instanceof Date ? when.getTime() : Number(when);
    if (!Number.isFinite(time)) throw new O.TypeError("setAlarm() needs a Date or a number of milliseconds");
    await alarms.setAlarm(time);
  });
  define("getAlarm", async () => alarms.getAlarm());
  define("deleteAlarm", async () => {
    await alarms.deleteAlarm();
  });
}

/** An object's alarm: the bridge's calls name the object (its ID), since one isolate runs many. */
export function objectAlarms(alarms: AlarmBridge, key: string): AlarmBridge {
  return {
    setAlarm: (time) => alarms.setAlarm(time, key),
    getAlarm: () => alarms.getAlarm(key),
    deleteAlarm: () => alarms.deleteAlarm(key),
  };
}
