/**
 * The terminal's lines for what a save installed (its answer's `installed`, shared/packages.ts): one
 * per package, fetched from the registry or found in the shared cache.
 */

import { formatBytes } from "../../shared/format";
import type { InstallReport } from "../../shared/packages";

export function installLines(installed: readonly InstallReport[]): string[] {
  return installed.map((report) =>
    report.fromCache
      ? `${report.name} ${report.version} from cache`
      : `installed ${report.name} ${report.version} (${formatBytes(report.bytes)}) in ${Math.round(report.ms)} ms`,
  );
}
