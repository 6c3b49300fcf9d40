// Props the supervisor gives the LogTail entrypoint it attaches to each loaded app.
interface LogTailProps {
  projectId: string;
  codeId: string;
}

declare namespace Cloudflare {
  // Types `ctx.exports` (LogTail, ProjectSupervisor) from the worker's main module.
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}

// Props of the AlarmBridge entrypoint each loaded app gets.
interface AlarmBridgeProps {
  projectId: string;
}
