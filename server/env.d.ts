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

// Props of the MeterBridge entrypoint each loaded app gets.
interface MeterBridgeProps {
  projectId: string;
}
