/**
 * With markers, the guard wraps the timers, microtasks, promise callbacks and listeners to say when the
 * app's code runs: a test that loads it so takes a snapshot first and puts them back after.
 */
export function keepGuardedGlobals(): () => void {
  const { setTimeout: timeout, setInterval: interval, queueMicrotask: microtask } = globalThis;
  const { then } = Promise.prototype;
  const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;
  return () => {
    Object.assign(globalThis, { setTimeout: timeout, setInterval: interval, queueMicrotask: microtask });
    Object.assign(Promise.prototype, { then });
    Object.assign(EventTarget.prototype, { addEventListener: add, removeEventListener: remove });
    Reflect.deleteProperty(globalThis, "addEventListener");
    Reflect.deleteProperty(globalThis, "removeEventListener");
  };
}
