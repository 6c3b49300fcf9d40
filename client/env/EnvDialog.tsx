import { useEffect, useRef, useState } from "react";
import { type EnvVarInfo, envVarNameProblem, LIMITS } from "../../shared/api";
import { messageOf } from "../../shared/errors";
import { api } from "../lib/api";
import { FormError } from "../lib/FormError";
import { ModalDialog } from "../lib/ModalDialog";
import { EnvNotice } from "./EnvNotice";
import { NetworkTab } from "./NetworkTab";

interface Props {
  projectId: string;
  token: string;
  open: boolean;
  onClose: () => void;
  /** Called after every change the server accepted: the app restarts with the new values. */
  onChanged: () => void;
}

interface Draft {
  name: string;
  value: string;
  secret: boolean;
  /** Set when the draft edits an existing variable rather than adding one. */
  editing: boolean;
}

const EMPTY_DRAFT: Draft = { name: "", value: "", secret: false, editing: false };

/**
 * The project's environment variables and secrets, passed to the app as `this.env`. In a modal
 * dialog (ModalDialog).
 */
export function EnvDialog({ projectId, token, open, onClose, onChanged }: Props) {
  const nameRef = useRef<HTMLInputElement>(null);
  const valueRef = useRef<HTMLInputElement>(null);
  const [vars, setVars] = useState<EnvVarInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<"variables" | "network">("variables");

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setLoadError(null);
    setNotice(null);
    api.env(projectId, token).then(
      (answer) => !cancelled && setVars(answer.vars),
      (e: unknown) => !cancelled && setLoadError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [open, projectId, token]);

  const nameProblem = (name: string): string | null => {
    if (name === "") return "Give the variable a name";
    return envVarNameProblem(name);
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const name = draft.name.trim();
    const problem = nameProblem(name);
    if (problem) {
      setFormError(problem);
      nameRef.current?.focus();
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const answer = await api.setEnv(projectId, token, name, { value: draft.value, secret: draft.secret });
      setVars(answer.vars);
      setDraft(EMPTY_DRAFT);
      setNotice(`${name} ${draft.editing ? "updated" : "set"}. The app restarted and the next request sees it.`);
      onChanged();
      nameRef.current?.focus();
    } catch (e) {
      setFormError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (name: string) => {
    setBusy(true);
    setFormError(null);
    try {
      const answer = await api.deleteEnv(projectId, token, name);
      setVars(answer.vars);
      setNotice(`${name} deleted. The app restarted without it.`);
      if (draft.name === name) setDraft(EMPTY_DRAFT);
      onChanged();
    } catch (e) {
      setFormError(messageOf(e));
    } finally {
      setBusy(false);
      setConfirmingDelete(null);
    }
  };

  const edit = (v: EnvVarInfo) => {
    // A secret's value never comes back from the server: editing one means typing a new value.
    setDraft({ name: v.name, value: v.secret ? "" : v.value, secret: v.secret, editing: true });
    setFormError(null);
    valueRef.current?.focus();
  };

  const full = vars !== null && vars.length >= LIMITS.maxEnvVars && !draft.editing;

  return (
    <ModalDialog open={open} title="Environment" className="env-dialog" onClose={onClose}>
      <div className="env-tabs" role="tablist" aria-label="Environment">
        {(["variables", "network"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={`env-tab${tab === name ? " active" : ""}`}
            onClick={() => setTab(name)}
          >
            {name === "variables" ? "Variables" : "Network"}
          </button>
        ))}
      </div>
      {tab === "network" ? (
        // Mounted while the dialog is open, so each opening reads the policy and the last calls afresh.
        open && (
          <NetworkTab
            projectId={projectId}
            token={token}
            secrets={(vars ?? []).filter((v) => v.secret).map((v) => v.name)}
            onChanged={onChanged}
          />
        )
      ) : (
        <>
          <p className="muted small dialog-lead">
            Variables and secrets reach the app as <code>this.env.NAME</code>. A change restarts the app (its data
            stays) and takes effect on the next request, without a save. A secret's value is never shown again once set.
          </p>

          {loadError ? (
            <p className="form-error" role="alert">
              Could not load the variables: {loadError}
            </p>
          ) : vars === null ? (
            <p className="muted">Loading…</p>
          ) : vars.length === 0 ? (
            <p className="muted empty">No variables yet.</p>
          ) : (
            <table className="env-table" aria-label="Variables">
              <tbody>
                {vars.map((v) => (
                  <tr key={v.name} data-testid={`env-${v.name}`}>
                    <th scope="row">{v.name}</th>
                    <td className={v.secret ? "env-secret" : "env-value"}>
                      {v.secret ? "•••••••• secret" : v.value === "" ? <em className="muted">empty</em> : v.value}
                    </td>
                    <td className="env-actions">
                      {confirmingDelete === v.name ? (
                        <>
                          <button
                            type="button"
                            className="danger"
                            disabled={busy}
                            onClick={() => void remove(v.name)}
                            aria-label={`Confirm deleting ${v.name}`}
                          >
                            Delete
                          </button>
                          <button type="button" onClick={() => setConfirmingDelete(null)}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <>
                          <button type="button" disabled={busy} onClick={() => edit(v)} aria-label={`Edit ${v.name}`}>
                            {v.secret ? "Replace" : "Edit"}
                          </button>
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() => setConfirmingDelete(v.name)}
                            aria-label={`Delete ${v.name}`}
                          >
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <form className="env-form" onSubmit={(e) => void submit(e)} aria-label="Set a variable">
            <input
              ref={nameRef}
              aria-label="Variable name"
              placeholder="NAME"
              value={draft.name}
              readOnly={draft.editing}
              spellCheck={false}
              autoComplete="off"
              maxLength={64}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
            <input
              ref={valueRef}
              aria-label="Value"
              placeholder={draft.editing && draft.secret ? "new secret value" : "value"}
              type={draft.secret ? "password" : "text"}
              value={draft.value}
              spellCheck={false}
              autoComplete="off"
              maxLength={5_000}
              onChange={(e) => setDraft({ ...draft, value: e.target.value })}
            />
            <label className="env-secret-toggle">
              <input
                type="checkbox"
                checked={draft.secret}
                onChange={(e) => setDraft({ ...draft, secret: e.target.checked })}
              />
              Secret
            </label>
            <button type="submit" className="primary" disabled={busy || full}>
              {draft.editing ? "Update" : "Add"}
            </button>
            {draft.editing ? (
              <button type="button" onClick={() => setDraft(EMPTY_DRAFT)}>
                Cancel
              </button>
            ) : null}
            {full ? <p className="muted small">A project has at most {LIMITS.maxEnvVars} variables.</p> : null}
            <FormError message={formError} />
          </form>
          <EnvNotice notice={notice} />
        </>
      )}
    </ModalDialog>
  );
}
