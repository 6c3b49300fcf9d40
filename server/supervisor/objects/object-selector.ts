/**
 * Which of a Worker project's objects a tool means (the SQL console, the Data view, snapshots, the
 * meter, the MCP tools): `selector` is an ID, `Class:name`, `Class:#<start of the ID>`, or a name
 * only one object has; without one, the object the app uses most. Pure, so it is tested on its own
 * (tests/unit/server/supervisor/object-selector.test.ts).
 */
import type { ObjectRef } from "../../app-runtime/protocol";

export type ObjectSelection = { ok: true; ref: ObjectRef } | { ok: false; message: string };

/** `objects`: the project's objects, most used first. */
export function selectObject(objects: readonly ObjectRef[], selector: string | undefined): ObjectSelection {
  const [most] = objects;
  if (!most) {
    return {
      ok: false,
      message: "The app has no Durable Objects yet: one is made when the app's code first calls it",
    };
  }
  if (selector === undefined || selector === "") return { ok: true, ref: most };
  const lower = selector.toLowerCase();
  const byId = objects.find((o) => o.id === lower);
  if (byId) return { ok: true, ref: byId };
  const colon = selector.indexOf(":");
  if (colon > 0) {
    const className = selector.slice(0, colon);
    const rest = selector.slice(colon + 1);
    const match = objects.find(
      (o) => o.class === className && (o.name === rest || (rest.startsWith("#") && o.id.startsWith(rest.slice(1)))),
    );
    if (match) return { ok: true, ref: match };
  }
  const named = objects.filter((o) => o.name === selector);
  if (named.length === 1 && named[0]) return { ok: true, ref: named[0] };
  if (named.length > 1) {
    return {
      ok: false,
      message: `${named.length} objects are named '${selector}' (${named.map((o) => o.class).join(", ")}): say which, as Class:${selector}`,
    };
  }
  return { ok: false, message: `No Durable Object '${selector}': name one by its ID, as Class:name, or by its name` };
}
