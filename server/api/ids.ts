import { LIMITS } from "../../shared/api";

const ADJECTIVES = [
  "amber",
  "brisk",
  "calm",
  "clever",
  "daring",
  "eager",
  "gentle",
  "lucky",
  "mellow",
  "nimble",
  "quiet",
  "rapid",
  "sunny",
  "tidy",
  "vivid",
  "witty",
];
const NOUNS = [
  "otter",
  "falcon",
  "maple",
  "comet",
  "harbor",
  "lantern",
  "meadow",
  "pebble",
  "river",
  "sparrow",
  "tulip",
  "willow",
  "cedar",
  "ember",
  "fjord",
  "koala",
];

const pick = (list: string[]) => list[crypto.getRandomValues(new Uint32Array(1))[0]! % list.length]!;

export function randomProjectId(): string {
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(2)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${suffix}`;
}

/** "My Notes App!" -> "my-notes-app": a DNS label, so the project can be a preview subdomain. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, LIMITS.maxIdLength)
    .replace(/-+$/, "");
}
