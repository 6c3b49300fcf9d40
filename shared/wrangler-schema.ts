/**
 * What a Worker project's configuration file may hold, as far as a project here reads it: the zod
 * shape of wrangler's fields (unknown fields pass, a known one of the wrong type is an error), the
 * bindings a project here cannot have, and the Durable Object classes its migrations leave.
 * project-config.ts checks the rest and builds the ProjectConfig.
 */
import { z } from "zod";
import { envVarNameProblem } from "./identifiers";

/** A name in env (a binding's): what the project's own variables may be named, the IDE's names excepted. */
const Identifier = z.string().superRefine((name, ctx) => {
  const problem = envVarNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const ClassName = z.string().regex(/^[A-Za-z_$][\w$]{0,99}$/, "a JavaScript class name");

export const RawConfig = z.looseObject({
  main: z.string().min(1).max(200).optional(),
  compatibility_flags: z.array(z.string().max(100)).max(50).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  durable_objects: z
    .looseObject({
      bindings: z
        .array(
          z.looseObject({
            name: Identifier,
            class_name: ClassName,
            script_name: z.string().optional(),
            environment: z.string().optional(),
          }),
        )
        .max(32)
        .optional(),
    })
    .optional(),
  rules: z
    .array(
      z.looseObject({
        type: z.enum(["ESModule", "CommonJS", "CompiledWasm", "Text", "Data", "PythonModule", "PythonRequirement"]),
        globs: z.array(z.string().min(1).max(200)).max(32),
        fallthrough: z.boolean().optional(),
      }),
    )
    .max(32)
    .optional(),
  migrations: z
    .array(
      z.looseObject({
        new_sqlite_classes: z.array(ClassName).max(32).optional(),
        new_classes: z.array(ClassName).max(32).optional(),
        renamed_classes: z
          .array(z.looseObject({ from: ClassName, to: ClassName }))
          .max(32)
          .optional(),
        deleted_classes: z.array(ClassName).max(32).optional(),
      }),
    )
    .max(100)
    .optional(),
  assets: z
    .looseObject({
      directory: z.string().max(120).optional(),
      binding: Identifier.optional(),
      html_handling: z.enum(["auto-trailing-slash", "force-trailing-slash", "drop-trailing-slash", "none"]).optional(),
      not_found_handling: z.enum(["none", "404-page", "single-page-application"]).optional(),
      run_worker_first: z.union([z.boolean(), z.array(z.string())]).optional(),
    })
    .optional(),
});

/** Bindings a project here cannot have: the app runs without network or other Cloudflare resources. */
export const UNSUPPORTED_BINDINGS: Record<string, string> = {
  kv_namespaces: "KV namespaces",
  d1_databases: "D1 databases",
  r2_buckets: "R2 buckets",
  services: "service bindings",
  queues: "queues",
  ai: "Workers AI",
  vectorize: "Vectorize indexes",
  hyperdrive: "Hyperdrive",
  analytics_engine_datasets: "Analytics Engine datasets",
  browser: "Browser Rendering",
  dispatch_namespaces: "dispatch namespaces",
  mtls_certificates: "mTLS certificates",
  workflows: "Workflows",
  send_email: "email bindings",
};

/**
 * The project's Durable Object classes: the bound ones, then those its migrations leave (created,
 * renamed to, not deleted since), as Cloudflare knows them, which is what `ctx.exports` offers.
 */
export function classesOf(
  boundClasses: string[],
  migrations: {
    new_sqlite_classes?: string[] | undefined;
    new_classes?: string[] | undefined;
    renamed_classes?: { from: string; to: string }[] | undefined;
    deleted_classes?: string[] | undefined;
  }[],
): string[] {
  const migrated = new Set<string>();
  for (const step of migrations) {
    for (const name of [...(step.new_sqlite_classes ?? []), ...(step.new_classes ?? [])]) migrated.add(name);
    for (const { from, to } of step.renamed_classes ?? []) {
      migrated.delete(from);
      migrated.add(to);
    }
    for (const name of step.deleted_classes ?? []) migrated.delete(name);
  }
  return [...new Set([...boundClasses, ...migrated])];
}
