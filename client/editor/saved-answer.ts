/**
 * What a save's answer shows: its warnings in the editor (TypeScript's type errors apart from the
 * others, so a type-check line that comes later replaces only them), and in the terminal what the save
 * installed.
 */
import type { PutCodeResponse } from "../../shared/api";
import { typeErrorCode } from "../../shared/type-check";
import type { ProjectConnection } from "../project/connection";
import { installLines } from "../terminal/install-lines";
import type { Workspace } from "./workspace";

export function showSaved(workspace: Workspace, connection: ProjectConnection, result: PutCodeResponse): void {
  workspace.setDiagnostics(
    result.warnings.filter((w) => typeErrorCode(w) === null),
    "warning",
  );
  // Running: the type errors follow as a type-check line (useTypeCheckMarkers); until then the last ones stay.
  if (result.typeCheck !== "running")
    workspace.setTypeDiagnostics(result.warnings.filter((w) => typeErrorCode(w) !== null));
  connection.note(installLines(result.installed ?? []));
}
