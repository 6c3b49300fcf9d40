/**
 * Durable Object IDs for a Worker project's namespaces, made inside the app's isolate
 * (`__facet_ide_ids.js`, for objects.ts) and checked by the supervisor with WebCrypto before it
 * serves an object (supervisor/objects/object-ids.ts makes them the same way).
 *
 * An ID is 64 hex digits, as on Cloudflare: 56 of body and 8 of tag. A named ID's body is the
 * SHA-256 of its class and name, so the same name always reaches the same object; a unique ID's body
 * is random. The tag is the SHA-256 of the class and the body, so `idFromString` can tell an ID of
 * another namespace (Cloudflare refuses those too) and the supervisor can refuse an ID the app made
 * up for a class it does not belong to.
 *
 * It carries its own SHA-256 because `idFromName` must answer synchronously (WebCrypto's digest does
 * not), and `node:crypto` would need nodejs_compat, which makes every isolate slower to load
 * (docs/platform.md). Checked against WebCrypto by tests/unit/server/app-runtime/object-ids.test.ts.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const encoder = new TextEncoder();

/** The SHA-256 of `text` (UTF-8), as 64 hex digits. */
export function sha256Hex(text: string): string {
  const data = encoder.encode(text);
  const length = data.length;
  const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length << 3) >>> 0);
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15]!;
      const w2 = w[i - 2]!;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    let f = h[5]!;
    let g = h[6]!;
    let hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = h[0]! + a;
    h[1] = h[1]! + b;
    h[2] = h[2]! + c;
    h[3] = h[3]! + d;
    h[4] = h[4]! + e;
    h[5] = h[5]! + f;
    h[6] = h[6]! + g;
    h[7] = h[7]! + hh;
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, "0")).join("");
}

/** The 8 hex digits that tell which namespace an ID's body belongs to. */
export function idTag(className: string, body: string): string {
  return sha256Hex(`tag:${className}:${body}`).slice(0, 8);
}

/** The ID `idFromName(name)` gives in `className`'s namespace. */
export function namedId(className: string, name: string): string {
  const body = sha256Hex(`name:${className}:${name}`).slice(0, 56);
  return body + idTag(className, body);
}

/** A new random ID of `className`'s namespace (`newUniqueId()`). */
export function uniqueId(className: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(28));
  const body = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return body + idTag(className, body);
}

/** Whether `hex` is an ID of `className`'s namespace (named or unique). */
export function isIdOf(className: string, hex: unknown): boolean {
  return typeof hex === "string" && /^[0-9a-f]{64}$/.test(hex) && idTag(className, hex.slice(0, 56)) === hex.slice(56);
}
