// Inside the Worker the ObjectsRunner loads (bench/worker.ts): what a Durable Object namespace is at
// its floor. `getByName(name)` gives a stub whose every method is one RPC call through the runner's
// bridge, which calls the runner, which calls the object's facet. No IDs, no checks, no call IDs.

/** @param {{ call(name: string, method: string, args: unknown[]): Promise<unknown> }} bridge */
export function namespace(bridge) {
  return {
    /** @param {string} name */
    getByName(name) {
      return new Proxy(
        {},
        {
          get:
            (_target, method) =>
            (/** @type {unknown[]} */ ...args) =>
              bridge.call(name, String(method), args),
        },
      );
    },
  };
}
