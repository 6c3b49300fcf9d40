/**
 * Who may open a project. Every way into a project's data (the API's handle, the terminal socket)
 * passes through `admit`, so a credential is checked in one place; a new kind of credential (a key
 * that opens several projects, say) is a new case here.
 */
import { type Failure, failure } from "../outcome";
import { hashesEqual } from "./hashing";
import type { ProjectRow } from "./store";

/** What a caller shows to open a project: the SHA-256 of its token (the token itself never travels). */
export type Credential = { kind: "token"; tokenHash: string };

/** Null when `credential` opens `project`; otherwise why not (404 no such project, 403 wrong credential). */
export function admit(project: ProjectRow | null, credential: Credential): Failure | null {
  if (!project) return failure(404, "not_found", "No such project");
  // Constant time, so a wrong token leaks nothing through timing.
  if (!hashesEqual(credential.tokenHash, project.tokenHash)) {
    return failure(403, "forbidden", "This token does not open this project");
  }
  return null;
}
