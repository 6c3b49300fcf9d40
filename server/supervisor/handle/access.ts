/**
 * Who may open a project. Every way into a project's data (the API's handle, the terminal socket)
 * passes through `admit`, so a credential is checked in one place.
 *
 * Two kinds open a project: its own token, and the agent key it was created with (a key opens every
 * project created with it). The worker tells them apart by the key's prefix and sends only the
 * SHA-256 of either; the secret itself never travels to the supervisor.
 */
import { type Failure, failure } from "../../outcome";
import { hashesEqual } from "../versions/hashing";
import type { ProjectRow } from "../versions/store";

export type Credential = { kind: "token"; hash: string } | { kind: "key"; hash: string };

/** Null when `credential` opens `project`; otherwise why not (404 no such project, 403 wrong credential). */
export function admit(project: ProjectRow | null, credential: Credential): Failure | null {
  if (!project) return failure("not_found", "No such project");
  // Constant time, so a wrong token leaks nothing through timing.
  if (credential.kind === "token") {
    if (hashesEqual(credential.hash, project.tokenHash)) return null;
    return failure("forbidden", "This token does not open this project");
  }
  if (project.ownerKeyHash !== null && hashesEqual(credential.hash, project.ownerKeyHash)) return null;
  return failure("forbidden", "This agent key does not open this project: it was not created with it");
}

/** The credential as one header value, for the internal request that opens a terminal socket. */
export const credentialHeaderValue = (credential: Credential): string => `${credential.kind}:${credential.hash}`;

export function credentialFromHeader(value: string | null): Credential {
  const [kind, hash = ""] = (value ?? "").split(":", 2);
  return { kind: kind === "key" ? "key" : "token", hash };
}
