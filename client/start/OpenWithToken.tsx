import { useState } from "react";
import { ProjectId } from "../../shared/api";
import { ApiError, api } from "../lib/api";
import { projectsStore } from "../lib/projects-store";
import { navigate, projectPath } from "../lib/router";

/** Adds a project created elsewhere (another browser, an agent over the API) by its id and token. */
export function OpenWithToken({ initialId = "" }: { initialId?: string }) {
  const [id, setId] = useState(initialId);
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsedId = ProjectId.safeParse(id.trim());
    if (!parsedId.success) return setError("That is not a project id (a-z, 0-9 and '-').");
    if (!token.trim()) return setError("Paste the project's token.");
    setBusy(true);
    setError(null);
    try {
      const info = await api.project(parsedId.data, token.trim());
      projectsStore.add({ id: info.id, token: token.trim(), previewUrl: info.previewUrl, createdAt: info.createdAt });
      navigate(projectPath(info.id));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 403 ? "That token does not open this project." : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="token-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <input aria-label="Project id" placeholder="project id" value={id} onChange={(e) => setId(e.target.value)} />
      <input
        aria-label="Token"
        placeholder="token"
        type="password"
        autoComplete="off"
        value={token}
        onChange={(e) => setToken(e.target.value)}
      />
      <button type="submit" disabled={busy}>
        Open
      </button>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
