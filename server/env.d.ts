// Props the supervisor gives the LogBridge entrypoint each loaded app gets.
interface LogBridgeProps {
  projectId: string;
  codeId: string;
  /** The draft's code (its lines are marked as the draft's). */
  draft?: boolean;
}

declare namespace Cloudflare {
  // Types `ctx.exports` (LogBridge, AlarmBridge, ProjectSupervisor) from the worker's main module.
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}

// Props of the AlarmBridge entrypoint each loaded app gets.
interface AlarmBridgeProps {
  projectId: string;
  /** The draft's code: its alarm is the draft's own. */
  draft?: boolean;
}

interface Env {
  /**
   * Set by the operator of a public instance (`wrangler secret put ACCESS_SECRET`): minting agent
   * keys and creating projects without a key then need it. Unset (locally) both are open.
   */
  ACCESS_SECRET?: string;
  /**
   * The IDE's assistant (server/assistant/config.ts, docs/assistant.md): its model's endpoint, key and
   * name, its bounds, and an optional Workers AI binding. Secrets deployed; the environment locally.
   */
  FACET_IDE_MODEL_URL?: string;
  FACET_IDE_MODEL_KEY?: string;
  FACET_IDE_MODEL?: string;
  FACET_IDE_ASSISTANT_STEPS?: string;
  FACET_IDE_ASSISTANT_TOKENS?: string;
  FACET_IDE_MODEL_TIMEOUT_MS?: string;
  AI?: Ai;
}

// Vite's `?raw` imports: the MCP server's guide (docs/agent-guide.md), the empty app, and docs/one-object-or-many.md's examples in the worker tests.
declare module "*?raw" {
  const text: string;
  export default text;
}

// A module of the app's runtime as the text its isolate loads (server/app-runtime/build/app-modules.mjs).
declare module "*?app-module" {
  const text: string;
  export default text;
}

// Props of the MeterBridge entrypoint each loaded app gets.
interface MeterBridgeProps {
  projectId: string;
}

// Props of the ObjectBridge entrypoint a Worker project's code gets (its Durable Object namespaces).
interface ObjectBridgeProps {
  projectId: string;
  /** The draft's code: its objects are the draft's copies. */
  draft?: boolean;
}

// Props of the Gateway entrypoint every loaded app gets as its globalOutbound (server/bridges/network-gateway.ts).
interface GatewayProps {
  projectId: string;
  /** The draft's code: its calls are recorded as the draft's. */
  draft?: boolean;
}
