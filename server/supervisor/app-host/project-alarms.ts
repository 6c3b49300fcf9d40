/**
 * The project's alarms as the AlarmBridge and the runtime reach them: the App's and the draft's
 * (app-alarms.ts), and each of a Worker project's objects' (objects/object-alarms.ts), all on the
 * supervisor's one real alarm (AlarmClock). Setting one of the live app's is metered (a row
 * written); when the real alarm fires, every due alarm runs through its app host: the live app's,
 * then the draft's while there is one. Tables: none of its own (app-alarms.ts's and object-alarms.ts's).
 */
import type { AlarmOutcome, ObjectRef } from "../../app-runtime/protocol";
import type { AlarmClock, AppAlarms } from "./app-alarms";

type Pair<T> = { live: T; draft: T };

/** What the alarms work with, each a narrow view of the capability that has it. */
export interface AlarmParts {
  clock: AlarmClock;
  /** The App's alarm and the draft's. */
  alarms: Pair<AppAlarms>;
  /** The objects' alarms, live and the draft's copies (objects/object-alarms.ts). */
  objectAlarms: Pair<{
    of(id: string): AppAlarms;
    fire(version: number | null, run: (id: string, info: AlarmInvocationInfo) => Promise<AlarmOutcome>): Promise<void>;
  }>;
  /** The app hosts that run the handlers (app-host.ts). */
  hosts: Pair<{ runAlarm(info: AlarmInvocationInfo, target?: ObjectRef | null): Promise<AlarmOutcome> }>;
  /** The objects registries (objects/objects.ts): an alarm's object, counted as used. */
  objects: Pair<{ ref(id: string): ObjectRef | null; touch(id: string, call: null): void }>;
  store: { readonly project: { readonly currentVersion: number | null } | null };
  /** The draft's row: the draft's alarms fire only while there is a draft. */
  draft: { readonly exists: boolean };
  /** The live app's meter (metering.ts): setAlarm() is a row written, each alarm run is counted. */
  meter: { alarmSet(object: string | null): void; alarmRan(object?: string | null): void };
}

export class ProjectAlarms {
  #parts: AlarmParts;

  constructor(parts: AlarmParts) {
    this.#parts = parts;
  }

  /** Sets the App's alarm, the draft's, or the object `object`'s (its ID). */
  async set(time: number, draft: boolean, object: string | null): Promise<void> {
    if (!draft) this.#parts.meter.alarmSet(object);
    await this.#of(draft, object).set(time);
  }

  get(draft: boolean, object: string | null): number | null {
    return this.#of(draft, object).get();
  }

  async delete(draft: boolean, object: string | null): Promise<void> {
    await this.#of(draft, object).delete();
  }

  #of(draft: boolean, object: string | null): AppAlarms {
    const { alarms, objectAlarms } = this.#parts;
    if (object !== null) return (draft ? objectAlarms.draft : objectAlarms.live).of(object);
    return draft ? alarms.draft : alarms.live;
  }

  /** The real alarm fired: runs every alarm that is due, then sets the real alarm to the next one. */
  async fire(): Promise<void> {
    const { alarms, objectAlarms, hosts, meter } = this.#parts;
    const version = this.#parts.store.project?.currentVersion ?? null;
    await alarms.live.fire(version, (info) => {
      meter.alarmRan();
      return hosts.live.runAlarm(info);
    });
    await objectAlarms.live.fire(version, (id, info) => {
      meter.alarmRan(id);
      return this.#objectAlarm("live", id, info);
    });
    if (this.#parts.draft.exists) {
      await alarms.draft.fire(version, (info) => hosts.draft.runAlarm(info));
      await objectAlarms.draft.fire(version, (id, info) => this.#objectAlarm("draft", id, info));
    }
    await this.#parts.clock.rearm();
  }

  async #objectAlarm(which: "live" | "draft", id: string, info: AlarmInvocationInfo): Promise<AlarmOutcome> {
    const objects = this.#parts.objects[which];
    const ref = objects.ref(id);
    // An alarm of an object that was deleted since is dropped with it.
    if (!ref) return { ok: false, missing: true };
    objects.touch(id, null);
    return this.#parts.hosts[which].runAlarm(info, ref);
  }
}
