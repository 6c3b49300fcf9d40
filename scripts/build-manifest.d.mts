export interface BuildManifest {
  root: string;
  builtAt: string;
  sources: Record<string, string>;
  worker: {
    name: string;
    options: Record<string, unknown>;
    modules: { type: "ESModule"; path: string }[];
    moduleDir: string;
  };
}
export const root: string;
export const manifestPath: string;
/** Repository-relative path -> SHA-256 of every source the build reads. */
export function hashSources(dir?: string): Record<string, string>;
/** Why the build must be made again, or null when it is current. */
export function whyRebuild(
  manifest: Pick<BuildManifest, "root" | "sources"> | null,
  sources: Record<string, string>,
  checkout?: string,
): string | null;
export function readManifest(path?: string): BuildManifest | null;
/** Writes into `dir` a copy of the build's manifest with the deployed settings; returns its path. */
export function writeDeployedManifest(dir: string, settings: { previewDomain: string; accessSecret: string }): string;
