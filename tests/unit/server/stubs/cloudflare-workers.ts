/**
 * `cloudflare:workers` for unit tests in Node (tests/unit/vitest.config.ts aliases it here): the two
 * classes the app's runtime tells exports apart by, and an empty env.
 */
export class DurableObject {
  ctx: unknown;
  env: unknown;
  constructor(ctx: unknown, env: unknown) {
    this.ctx = ctx;
    this.env = env;
  }
}

export class WorkerEntrypoint {
  ctx: unknown;
  env: unknown;
  constructor(ctx: unknown, env: unknown) {
    this.ctx = ctx;
    this.env = env;
  }
}

export const env: Record<string, unknown> = {};
