const encoder = new TextEncoder();

const toHex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Hash of a version's content; files are sorted so the order a client sent them in does not matter. */
export function contentHash({ main, files }: { main: string; files: Record<string, string> }): Promise<string> {
  const sorted = Object.keys(files)
    .sort()
    .map((name) => [name, files[name]]);
  return sha256Hex(JSON.stringify({ abi: 1, main, files: sorted }));
}

/** Constant-time comparison of two hex digests, so a wrong token leaks nothing through timing. */
export function hashesEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}
