import { navigate } from "../lib/router";
import { OpenWithToken } from "../start/OpenWithToken";

/** A project URL this browser holds no token for (a link from someone else, or cleared storage). */
export function MissingToken({ id }: { id: string }) {
  return (
    <div className="page-message">
      <h1>No key for {id} in this browser</h1>
      <p className="muted">
        A project opens with the token it was created with. Paste it to open {id} here, or go back to your projects.
      </p>
      <OpenWithToken initialId={id} />
      <div className="actions">
        <button type="button" onClick={() => navigate("/")}>
          All projects
        </button>
      </div>
    </div>
  );
}
