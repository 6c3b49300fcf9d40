import { describe, expect, it } from "vitest";
import { selectObject } from "../../../../server/supervisor/objects/object-selector";

const id = (digit: string) => digit.repeat(64);
/** Most used first, as the registry lists them. */
const objects = [
  { class: "Flight", id: id("a"), name: "1234" },
  { class: "Room", id: id("b"), name: "lobby" },
  { class: "Flight", id: id("c"), name: null },
  { class: "Room", id: id("d"), name: "1234" },
];

describe("selectObject", () => {
  it("takes the most used object without a selector", () => {
    expect(selectObject(objects, undefined)).toEqual({ ok: true, ref: objects[0] });
    expect(selectObject(objects, "")).toEqual({ ok: true, ref: objects[0] });
  });

  it("finds an object by its ID (in any case), Class:name, Class:#start of its ID, or a name one object has", () => {
    expect(selectObject(objects, id("C"))).toEqual({ ok: true, ref: objects[2] });
    expect(selectObject(objects, "Room:1234")).toEqual({ ok: true, ref: objects[3] });
    expect(selectObject(objects, "Flight:#cccc")).toEqual({ ok: true, ref: objects[2] });
    expect(selectObject(objects, "lobby")).toEqual({ ok: true, ref: objects[1] });
  });

  it("says why when a name is shared, nothing matches, or there are no objects", () => {
    expect(selectObject(objects, "1234")).toEqual({
      ok: false,
      message: "2 objects are named '1234' (Flight, Room): say which, as Class:1234",
    });
    expect(selectObject(objects, "Flight:9999")).toMatchObject({
      ok: false,
      message: expect.stringContaining("No Durable Object 'Flight:9999'"),
    });
    expect(selectObject([], "x")).toMatchObject({
      ok: false,
      message: expect.stringContaining("no Durable Objects yet"),
    });
  });
});
