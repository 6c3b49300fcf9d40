/**
 * Which host an app's outbound call goes to, and whether a project's network policy lets it: the pure
 * part of the gateway (server/bridges/network-gateway.ts), shared with the policy's validation so a
 * PUT refuses an entry the gateway would never honour.
 *
 * Hosts are compared after the WHATWG URL parser has normalised them (case, IDNA to punycode, IPv4 in
 * every spelling: decimal, octal, hex, short forms; IPv6 compressed), with trailing dots dropped. The
 * gateway cannot resolve DNS (workerd offers no resolver), so a name that resolves to a private address
 * is refused only when it says so: names that spell an address (`127.0.0.1.nip.io`, `10-0-0-1.sslip.io`),
 * wildcard-DNS services, special-use names (`localhost`, `.local`, `.internal`) and one-label names.
 */
import ipaddr from "ipaddr.js";

/** A host entry of the policy, normalised: `api.example.com`, `*.example.com`, `127.0.0.1:8787`. */
export interface HostPattern {
  /** Lowercase, punycode, no trailing dot; an IPv6 address without brackets. */
  host: string;
  /** `*.host`: any name under `host` (not `host` itself). */
  wildcard: boolean;
  /** The port it names, or null for the scheme's default (80 for http, 443 for https). */
  port: number | null;
}

/** Where a call goes: host as `HostPattern.host` is, and the port the URL means. */
export interface Destination {
  host: string;
  port: number;
  /** For messages: `host` or `host:port` as a person writes it (IPv6 in brackets). */
  label: string;
}

/** What the gateway compares a call with besides the policy: the IDE's own origins. */
export interface GatewayContext {
  /** `host:port` of every origin the IDE itself is served on (as URL.host gives it). */
  ideHosts: readonly string[];
  /** Apps are served on `<project>.<previewDomain>`: that name and everything under it are the IDE's. */
  previewDomain: string;
}

export type HostVerdict =
  | { allowed: true; entry: number }
  | { allowed: false; reason: "never" | "private" | "unlisted"; message: string };

/** Names of cloud metadata services, whatever the policy says. */
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.internal",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.tencentyun.com",
  "metadata.packet.net",
]);
/** Metadata addresses outside link-local (Alibaba's, AWS's IPv6 one). */
const METADATA_ADDRESSES = new Set(["100.100.100.200", "fd00:ec2::254"]);
/** Special-use or private-by-convention suffixes: their names resolve to local or private addresses. */
const PRIVATE_SUFFIXES = ["localhost", "local", "internal", "localdomain", "home.arpa", "lan", "intranet", "corp"];
/** Public DNS services whose names resolve to whatever address they spell, or to loopback. */
const ADDRESS_DNS_SERVICES = [
  "nip.io",
  "sslip.io",
  "xip.io",
  "traefik.me",
  "localtest.me",
  "lvh.me",
  "vcap.me",
  "local.gd",
  "localhost.direct",
  "1u.ms",
  "rbndr.us",
];

/** `hostname` as the policy compares it: lowercase, no trailing dots, IPv6 without brackets. */
export function normalizeHostname(hostname: string): string {
  let host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return host;
}

/** Where `url` goes; null for a scheme other than http(s) or ws(s). */
export function destinationOf(url: URL): Destination | null {
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  if (!secure && url.protocol !== "http:" && url.protocol !== "ws:") return null;
  const host = normalizeHostname(url.hostname);
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  return { host, port, label: labelOf(host, port, secure ? 443 : 80) };
}

function labelOf(host: string, port: number | null, defaultPort: number | null): string {
  const shown = host.includes(":") ? `[${host}]` : host;
  return port === null || port === defaultPort ? shown : `${shown}:${port}`;
}

/** A policy entry's host as a person wrote it, for messages and for GET to answer. */
export function patternText(pattern: HostPattern): string {
  return `${pattern.wildcard ? "*." : ""}${labelOf(pattern.host, pattern.port, null)}`;
}

/** Reads a policy's host entry; a message says what is wrong with it. */
export function parseHostPattern(text: string): { ok: true; pattern: HostPattern } | { ok: false; message: string } {
  const trimmed = text.trim();
  const wildcard = trimmed.startsWith("*.");
  const rest = wildcard ? trimmed.slice(2) : trimmed;
  if (rest === "" || /[/?#@\\\s*]/.test(rest)) {
    return {
      ok: false,
      message: `'${text}' is not a host: write a name, *.name or an address, with :port if not the default`,
    };
  }
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return { ok: false, message: `'${text}' is not a host name or address` };
  }
  const host = normalizeHostname(url.hostname);
  if (host === "") return { ok: false, message: `'${text}' is not a host name or address` };
  // URL drops :80 for http; the entry named it, so keep what was written.
  const written = /:(\d+)$/.exec(rest);
  const port = url.port ? Number(url.port) : written ? Number(written[1]) : null;
  const pattern: HostPattern = { host, wildcard, port };
  const kind = addressKind(host);
  if (wildcard && kind !== "name") return { ok: false, message: `'${text}': a wildcard takes a name, not an address` };
  if (kind === "never" || isNeverName(host)) {
    return { ok: false, message: `${patternText(pattern)} can never be reached: ${neverWhy(host)}` };
  }
  if (kind === "private" && port === null) {
    return {
      ok: false,
      message: `${patternText(pattern)} is a loopback or private address: name its port too (for example ${labelOf(host, 8787, null)})`,
    };
  }
  const nameProblem = kind === "name" ? privateNameProblem(host) : null;
  if (nameProblem) return { ok: false, message: `${patternText(pattern)}: ${nameProblem}` };
  return { ok: true, pattern };
}

type AddressKind = "name" | "public" | "private" | "never";

/** What kind of host `host` is: a name, or an address that is public, private (incl. loopback) or never reachable. */
export function addressKind(host: string): AddressKind {
  if (!ipaddr.isValid(host)) return "name";
  let address = ipaddr.parse(host);
  if (address.kind() === "ipv6") {
    const v6 = address as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) address = v6.toIPv4Address();
  }
  if (METADATA_ADDRESSES.has(address.toString())) return "never";
  const range = address.range();
  switch (range) {
    case "unicast":
      return "public";
    case "linkLocal":
    case "unspecified":
    case "multicast":
    case "broadcast":
    case "reserved":
      return "never";
    default:
      // loopback, private, uniqueLocal, carrierGradeNat, and the IPv6 ranges that embed an IPv4
      // address (6to4, Teredo, NAT64's rfc6052): treated as private, reachable only when named exactly.
      return "private";
  }
}

function isNeverName(host: string): boolean {
  return METADATA_NAMES.has(host);
}

function neverWhy(host: string): string {
  if (isNeverName(host) || METADATA_ADDRESSES.has(host)) return "it is a cloud metadata service";
  return "link-local, multicast, broadcast and unspecified addresses are never reachable from an app";
}

/** Why a name may resolve to a private address (so the policy cannot allow it), or null. */
export function privateNameProblem(host: string): string | null {
  const labels = host.split(".");
  if (labels.length < 2) return "a name of one label resolves on the local network: name a public host";
  const suffix = PRIVATE_SUFFIXES.find((s) => host === s || host.endsWith(`.${s}`));
  if (suffix) return `names under .${suffix} resolve to local or private addresses: name the address and port instead`;
  const service = ADDRESS_DNS_SERVICES.find((s) => host === s || host.endsWith(`.${s}`));
  if (service)
    return `names under ${service} resolve to whatever address they spell: name the address and port instead`;
  if (spelledAddress(labels))
    return "the name spells an IP address, which it may resolve to: name the address and port instead";
  return null;
}

/** Whether labels spell an IPv4 address: four numeric labels in a row, or one label like 10-0-0-1 or 7f000001. */
function spelledAddress(labels: string[]): boolean {
  for (let i = 0; i + 4 <= labels.length; i++) {
    if (labels.slice(i, i + 4).every((l) => /^\d{1,3}$/.test(l) && Number(l) <= 255)) return true;
  }
  return labels.some((label) => {
    const dashed = /(^|[-])(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})($|-)/.exec(label);
    return dashed?.slice(2, 6).every((n) => Number(n) <= 255) === true;
  });
}

/** Whether `pattern` covers the destination. */
export function patternMatches(pattern: HostPattern, destination: Destination, secure: boolean): boolean {
  const port = pattern.port ?? (secure ? 443 : 80);
  if (port !== destination.port) return false;
  return pattern.wildcard ? destination.host.endsWith(`.${pattern.host}`) : destination.host === pattern.host;
}

/**
 * The gateway's decision on a call to `url` under `allow` (the policy's entries, in order): which
 * entry lets it, or why not, in words the app's error and the terminal show.
 */
export function judgeUrl(url: URL, allow: readonly HostPattern[], context: GatewayContext, where: string): HostVerdict {
  const destination = destinationOf(url);
  if (!destination) {
    return {
      allowed: false,
      reason: "never",
      message: `${url.protocol} is not http or https: only web requests go out`,
    };
  }
  const { host, label } = destination;
  const secure = url.protocol === "https:" || url.protocol === "wss:";
  const never = (why: string): HostVerdict => ({
    allowed: false,
    reason: "never",
    message: `Network access to ${label} is refused: ${why}`,
  });
  const previewDomain = normalizeHostname(context.previewDomain);
  if (previewDomain && (host === previewDomain || host.endsWith(`.${previewDomain}`))) {
    return never("it is the IDE's preview origin, which no app may call through the network");
  }
  const kind = addressKind(host);
  if (kind === "never" || isNeverName(host)) return never(neverWhy(host));
  const ideHosts = context.ideHosts.flatMap((h) => normalizeIdeHost(h) ?? []);
  if (ideHosts.some((h) => h.host === host && h.port === destination.port)) return never("it is the IDE's own origin");
  // Locally the IDE answers on every loopback spelling of its port, not only the names it was called by.
  if (kind === "private" && ideHosts.some((h) => h.port === destination.port)) {
    return never("it is the IDE's own port on this machine");
  }
  if (kind === "name") {
    const problem = privateNameProblem(host);
    if (problem)
      return { allowed: false, reason: "private", message: `Network access to ${label} is refused: ${problem}` };
  }
  const entry = allow.findIndex((pattern) => patternMatches(pattern, destination, secure));
  if (entry >= 0 && (kind !== "private" || allow[entry]?.port !== null)) return { allowed: true, entry };
  if (kind === "private") {
    return {
      allowed: false,
      reason: "private",
      message: `Network access to ${label} is refused: loopback and private addresses are reachable only when the network policy names the exact address and port (${where})`,
    };
  }
  return {
    allowed: false,
    reason: "unlisted",
    message: `Network access to ${label} is not allowed: add ${label} to the project's network policy (${where})`,
  };
}

function normalizeIdeHost(hostAndPort: string): { host: string; port: number } | null {
  try {
    const url = new URL(`http://${hostAndPort}`);
    return { host: normalizeHostname(url.hostname), port: url.port ? Number(url.port) : 80 };
  } catch {
    return null;
  }
}
