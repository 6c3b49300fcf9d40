/**
 * Given to each loaded app (inside its env, which the wrapper strips) so that console output that no
 * response carries reaches its own supervisor's terminal (see app-runtime/logs/logs.ts). Its props fix
 * the project and code: an app can only write to its own log. The app's code can call it with
 * anything, so what arrives is validated and cut to size.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { appLogEntries } from "../supervisor/app-host/app-channel";
import { supervisorFor } from "../supervisor-stub";

export class LogBridge extends WorkerEntrypoint<Env, LogBridgeProps> {
  async append(lines: unknown): Promise<void> {
    const entries = appLogEntries(lines, null);
    if (!entries) throw new TypeError("append() takes the lines the wrapper collects");
    const { projectId, codeId, draft = false } = this.ctx.props;
    await supervisorFor(this.env, projectId).appendLogs(codeId, entries, draft);
  }
}
