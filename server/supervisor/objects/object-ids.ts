/**
 * The supervisor's side of a Worker project's Durable Object IDs: made and checked with WebCrypto the
 * way the app's isolate makes them (app-runtime/objects/ids.ts has the format and the in-isolate SHA-256,
 * which must answer synchronously), so an ID the app made up for a class it does not belong to is
 * refused before an object is served. tests/unit/server/app-runtime/object-ids.test.ts checks both sides agree.
 */

const HEX_ID = /^[0-9a-f]{64}$/;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The ID `idFromName(name)` gives in `className`'s namespace (as the app's isolate makes it). */
export async function namedObjectId(className: string, name: string): Promise<string> {
  const body = (await sha256(`name:${className}:${name}`)).slice(0, 56);
  return body + (await sha256(`tag:${className}:${body}`)).slice(0, 8);
}

/** Whether `hex` is an ID of `className`'s namespace (named or unique). */
export async function isObjectIdOf(className: string, hex: string): Promise<boolean> {
  if (!HEX_ID.test(hex)) return false;
  return (await sha256(`tag:${className}:${hex.slice(0, 56)}`)).slice(0, 8) === hex.slice(56);
}
