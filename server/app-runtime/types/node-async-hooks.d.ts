/**
 * The one node:* module the runtime uses: AsyncLocalStorage, which workerd gives with the nodejs_als
 * flag (the IDE loads every app with it). Declared here because this project has no Node types
 * (tsconfig.app-runtime.json); the server's project gets Node's own through vitest.
 */
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
