/**
 * A package's tarball made into its files: integrity checked against the registry's `dist.integrity`
 * (sha512, or sha1 for packages published before npm had integrity), gunzipped with the runtime's
 * DecompressionStream, untarred with modern-tar (PAX and GNU long names included). Entries are held
 * to the limits as they are read, so a hostile tarball cannot make the cache hold more than them:
 * `../` or an absolute path is refused, links and devices are skipped (nothing follows them).
 */
import { unpackTar } from "modern-tar";
import { PACKAGE_LIMITS } from "../../shared/packages";

/** A refusal that names what was wrong; the cache turns it into a 422. */
export class PackageError extends Error {
  override name = "PackageError";
}

/** Whether `bytes` hash to `integrity` (`sha512-<base64>`, `sha1-<base64>`; any one of several listed). */
export async function integrityMatches(bytes: Uint8Array<ArrayBuffer>, integrity: string): Promise<boolean> {
  const algorithms: Record<string, string> = { sha512: "SHA-512", sha384: "SHA-384", sha256: "SHA-256", sha1: "SHA-1" };
  for (const item of integrity.trim().split(/\s+/)) {
    const dash = item.indexOf("-");
    const algorithm = algorithms[item.slice(0, dash)];
    if (!algorithm) continue;
    const digest = new Uint8Array(await crypto.subtle.digest(algorithm, bytes));
    if (toBase64(digest) === item.slice(dash + 1).replace(/\?.*$/, "")) return true;
  }
  return false;
}

/** The sha1 integrity string of a hex `shasum` (old packuments have no `integrity`). */
export function sha1Integrity(shasum: string): string {
  const bytes = new Uint8Array(shasum.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(shasum.slice(i * 2, i * 2 + 2), 16);
  return `sha1-${toBase64(bytes)}`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A tarball entry's path inside its package (the first folder, `package/` as npm packs, dropped), or
 * a PackageError for a path that would leave the package: `..`, absolute, or a Windows drive.
 */
export function packagePath(entry: string, label: string): string | null {
  const raw = entry.replace(/\\/g, "/");
  if (raw.startsWith("/") || /^[a-zA-Z]:/.test(raw) || raw.split("/").includes("..")) {
    throw new PackageError(`${label}'s tarball has an entry outside the package (${JSON.stringify(entry)}): refused`);
  }
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.length < 2) return null;
  return parts.slice(1).join("/");
}

/** A package's files by path, and their size in all. */
export interface UnpackedPackage {
  files: Map<string, Uint8Array>;
  bytes: number;
}

/** Gunzips and untars `tarball`, held to the unpacked size and file count limits. */
export async function unpackPackage(tarball: Uint8Array<ArrayBuffer>, label: string): Promise<UnpackedPackage> {
  let bytes = 0;
  let count = 0;
  const gunzipped = new Response(tarball).body?.pipeThrough(new DecompressionStream("gzip"));
  if (!gunzipped) throw new PackageError(`${label}'s tarball is empty`);
  let entries: Awaited<ReturnType<typeof unpackTar>>;
  try {
    entries = await unpackTar(gunzipped, {
      filter: (header) => {
        if ((header.type ?? "file") !== "file") return false;
        packagePath(header.name, label);
        bytes += header.size;
        count++;
        if (bytes > PACKAGE_LIMITS.maxUnpackedBytes) {
          throw new PackageError(
            `${label} is more than ${PACKAGE_LIMITS.maxUnpackedBytes / 1_048_576} MiB unpacked (the limit per package)`,
          );
        }
        if (count > PACKAGE_LIMITS.maxFilesPerPackage) {
          throw new PackageError(
            `${label} has more than ${PACKAGE_LIMITS.maxFilesPerPackage} files (the limit per package)`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError(
      `${label}'s tarball could not be unpacked: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const path = packagePath(entry.header.name, label);
    if (path !== null && entry.data) files.set(path, entry.data);
  }
  return { files, bytes };
}
