/**
 * Ablation for profiling only (bench/profile/cost.mjs bench/wrangler.ablate.jsonc):
 * - LogTail drops every trace, so the supervisor's per-request log path (supervisor.appendLogs ->
 *   SQLite -> broadcast) is gone while the trace is still delivered to a tail;
 * - AppRunner attaches that same no-op tail, so it pays for trace delivery, and loads its code with
 *   the supervisor's compatibility date and flags (nodejs_compat), so isolates cost the same.
 * Supervisor vs AppRunner here is then the supervisor's own work (gate, version header, store reads).
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";

export * from "../../server/index"; // then LogTail and AppRunner below take precedence over `export *`
export { default, StaticApp } from "../worker";

export class LogTail extends WorkerEntrypoint {
  override async tail(): Promise<void> {}
}

export class AppRunner extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const facet = this.ctx.facets.get("app", async () => {
      const codeId = this.ctx.storage.kv.get<string>("codeId") ?? "none";
      const worker = this.env.LOADER.get(codeId, async () => ({
        compatibilityDate: "2026-10-01",
        compatibilityFlags: ["nodejs_compat"],
        mainModule: "worker.js",
        modules: { "worker.js": this.ctx.storage.kv.get<string>("code") ?? "" },
        globalOutbound: null,
        tails: [this.ctx.exports.LogTail({ props: { projectId: "", codeId } })],
      }));
      return { class: worker.getDurableObjectClass("App") };
    });
    return await facet.fetch(request);
  }

  setCode(code: string): void {
    this.ctx.storage.kv.put("codeId", crypto.randomUUID());
    this.ctx.storage.kv.put("code", code);
    this.ctx.facets.abort("app", new Error("new code"));
  }
}
