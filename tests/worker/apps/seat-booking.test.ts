/**
 * Cloudflare's seat-booking tutorial (tests/fixtures/seat-booking: its Worker, its Flight class and
 * its page, unchanged, with its configuration as the project's wrangler.jsonc) runs as a project:
 * each flight is a Durable Object with its own seat map.
 */
import { describe, expect, it } from "vitest";
import page from "../../fixtures/seat-booking/public/index.html?raw";
import worker from "../../fixtures/seat-booking/src/index.ts?raw";
import config from "../../fixtures/seat-booking/wrangler.jsonc?raw";
import { app, createProject, deploy } from "../support/helpers";

const files = { "wrangler.jsonc": config, "src/index.ts": worker, "public/index.html": page };

type Seat = { seatNumber: string; occupant: string | null };

describe("the docs' seat-booking tutorial", () => {
  it("keeps a separate seat map per flight", async () => {
    const project = await createProject();
    const saved = await deploy(project, files);
    // TypeScript flags the tutorial's ws.send() of an array (TS2345, a type error it runs with); no
    // other warning.
    expect(saved.warnings.filter((w) => !/\(TS\d+\)$/.test(w.message))).toEqual([]);
    const seats = async (flight: string) => (await (await app(project, `/seats?flightId=${flight}`)).json()) as Seat[];
    const book = async (flight: string, seatNumber: string, name: string) =>
      (await app(project, `/book-seat?flightId=${flight}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ seatNumber, name }),
      }).then((r) => r.json())) as { message: string; status: number };

    expect(await seats("1234")).toHaveLength(60);
    expect(await book("1234", "1A", "Ada")).toEqual({ message: "Seat 1A booked successfully", status: 200 });
    expect(await book("1234", "1A", "Bob")).toEqual({ message: "Seat not available", status: 400 });
    expect(await book("5678", "1A", "Bob")).toEqual({ message: "Seat 1A booked successfully", status: 200 });
    expect(await book("5678", "2C", "Cy")).toEqual({ message: "Seat 2C booked successfully", status: 200 });

    const first = await seats("1234");
    const second = await seats("5678");
    expect(first.filter((s) => s.occupant !== null)).toEqual([{ seatNumber: "1A", occupant: "Ada" }]);
    expect(second.filter((s) => s.occupant !== null)).toEqual([
      { seatNumber: "1A", occupant: "Bob" },
      { seatNumber: "2C", occupant: "Cy" },
    ]);
  });

  it("serves its page from public/ and its WebSocket from the flight's object", async () => {
    const project = await createProject();
    await deploy(project, files);
    const home = await app(project, "/?flightId=1234");
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toContain("text/html");
    expect(await home.text()).toContain("<title>Flight Seat Booking</title>");
    // Without a flight the Worker answers, as the tutorial says.
    expect((await app(project, "/nothing")).status).toBe(404);
    const socket = await app(project, "/ws?flightId=1234", { headers: { upgrade: "websocket" } });
    expect(socket.status).toBe(101);
    socket.webSocket?.accept();
    socket.webSocket?.close(1000, "done");
  });
});
