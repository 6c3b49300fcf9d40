/**
 * Package contents kept in memory between saves, the least recently used dropped first past a total
 * size of their files: a save that reuses a package does not read its files from the tables again.
 */
import type { PackageContents } from "./package-files";

/** Package contents kept in memory between saves, by total size of their files. */
const MEMORY_BYTES = 48 * 1_048_576;

export class ContentsMemory {
  #entries = new Map<string, { contents: PackageContents; bytes: number }>();
  #bytes = 0;

  /** The contents kept for `id` when they are of `integrity` (and now the most recently used). */
  get(id: string, integrity: string): { contents: PackageContents; bytes: number } | null {
    const found = this.#entries.get(id);
    if (!found || found.contents.entry.integrity !== integrity) return null;
    this.#entries.delete(id);
    this.#entries.set(id, found);
    return found;
  }

  remember(id: string, contents: PackageContents, bytes: number): void {
    if (bytes > MEMORY_BYTES) return;
    this.#entries.set(id, { contents, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= MEMORY_BYTES) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }
}
