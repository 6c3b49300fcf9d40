/**
 * Reads the activity beacons out of a frozen workerd's memory (server/app-runtime/beacon.ts writes
 * them; shared/launcher-contract.mjs has their layout). With beacons, an app's isolate prints no
 * marker per request: it writes its marker into an ArrayBuffer of its own, and only when the runtime
 * has frozen does the launcher look, here, for the one that says running.
 *
 * Linux only: the launcher reads `/proc/<pid>/mem` of workerd, its own descendant, which the kernel
 * allows a process of the same user (unless ptrace is locked down further); `memoryReadable` tells
 * before the launcher chooses beacons, and printed markers are used otherwise. Only writable mappings
 * are read (where heaps and ArrayBuffers live), a chunk at a time.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { BEACON_BYTES, BEACON_MAGIC_BYTES, BEACON_STATE_AT, BEACON_TEXT_AT } from "../shared/launcher-contract.mjs";

const CHUNK_BYTES = 4 * 1024 * 1024;
/** At most this many beacons are taken from one scan (a runtime holds one per loaded isolate). */
const MAX_BEACONS = 4096;

/** The writable mappings of process `pid`, as [start, end) addresses. */
function writableRanges(pid) {
  const ranges = [];
  for (const line of readFileSync(`/proc/${pid}/maps`, "utf8").split("\n")) {
    const [range, perms] = line.split(" ", 2);
    if (!range || !perms?.startsWith("rw")) continue;
    const dash = range.indexOf("-");
    ranges.push([BigInt(`0x${range.slice(0, dash)}`), BigInt(`0x${range.slice(dash + 1)}`)]);
  }
  return ranges;
}

/** A beacon's bytes as the launcher reads them: its state and its text (up to its zero byte). */
export function readBeacon(bytes) {
  const end = bytes.indexOf(0, BEACON_TEXT_AT);
  return {
    running: bytes[BEACON_STATE_AT] === 1,
    text: bytes.subarray(BEACON_TEXT_AT, end < 0 ? bytes.length : end).toString("utf8"),
  };
}

/**
 * Every beacon under `magicHex` in process `pid`'s writable memory: `{ running, text }` each.
 * Throws when the memory cannot be read (no such process, not allowed).
 */
export function scanBeacons(pid, magicHex) {
  const magic = Buffer.from(magicHex, "hex");
  if (magic.length !== BEACON_MAGIC_BYTES) throw new Error("a beacon magic is 16 bytes in hex");
  const fd = openSync(`/proc/${pid}/mem`, "r");
  const found = [];
  // Each read overlaps the last by a beacon, so one across a chunk's end is read whole in the next.
  const buffer = Buffer.alloc(CHUNK_BYTES + BEACON_BYTES);
  try {
    for (const [start, end] of writableRanges(pid)) {
      if (found.length >= MAX_BEACONS) break;
      for (let at = start; at < end && found.length < MAX_BEACONS; at += BigInt(CHUNK_BYTES)) {
        const left = end - at;
        const want = left < BigInt(buffer.length) ? Number(left) : buffer.length;
        let read = 0;
        try {
          read = readSync(fd, buffer, 0, want, at);
        } catch {
          // A mapping that went away or cannot be read (a guard page): the rest of it is skipped.
          break;
        }
        const view = buffer.subarray(0, read);
        for (let i = view.indexOf(magic); i >= 0 && i < CHUNK_BYTES; i = view.indexOf(magic, i + 1)) {
          if (i + BEACON_BYTES > read) break;
          found.push(readBeacon(view.subarray(i, i + BEACON_BYTES)));
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return found;
}

/**
 * Whether this process may read the memory of a child it starts (as it would workerd's): starts one
 * that waits, reads a page of it, and stops it.
 */
export async function memoryReadable() {
  if (process.platform !== "linux") return false;
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"], { stdio: "ignore" });
  try {
    await new Promise((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    const [range] = writableRanges(child.pid);
    if (!range) return false;
    const fd = openSync(`/proc/${child.pid}/mem`, "r");
    try {
      return readSync(fd, Buffer.alloc(64), 0, 64, range[0]) === 64;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  } finally {
    child.kill("SIGKILL");
  }
}
