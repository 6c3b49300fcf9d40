import type { ObjectsResponse } from "../../shared/objects";
import { ago } from "../lib/time";
import { formatBytes } from "../metrics/format";

interface Props {
  objects: ObjectsResponse | null;
  error: string | null;
  /** The object shown (its label), or null before one is picked. */
  selected: string | null;
  onSelect(label: string): void;
}

const calls = (n: number) => `${n} call${n === 1 ? "" : "s"}`;

/**
 * A Worker project's Durable Objects, most used first, each with its database's size and last
 * activity: picking one shows its database in the Data view.
 */
export function ObjectList({ objects, error, selected, onSelect }: Props) {
  return (
    <nav className="data-sidebar data-objects" aria-label="Durable Objects" data-testid="objects-list">
      <div className="data-sidebar-heading">
        Objects{objects ? ` · ${objects.objects.length} of ${objects.limit}` : ""}
      </div>
      {error && !objects ? <p className="data-sidebar-note bad">{error}</p> : null}
      {objects && objects.objects.length === 0 ? (
        <p className="data-sidebar-note">
          No Durable Objects yet. The app makes one the first time its code calls it (
          <code>env.BINDING.getByName(name)</code>).
        </p>
      ) : null}
      <ul className="data-tables">
        {objects?.objects.map((object) => {
          const active = object.label === selected;
          return (
            <li key={object.id}>
              <button
                type="button"
                className={`data-object-button${active ? " active" : ""}`}
                aria-current={active ? "true" : undefined}
                title={`${object.class} ${object.name ?? "(no name)"}\nID ${object.id}\n${object.requests} calls, ${object.errors} failed\n${object.rowsRead} rows read, ${object.rowsWritten} written\nmade ${new Date(object.createdAt).toLocaleString()}`}
                onClick={() => onSelect(object.label)}
              >
                <span className="data-object-name">{object.label}</span>
                <span className="data-object-meta">
                  {formatBytes(object.bytes)} · {calls(object.requests)} · {ago(object.lastActiveAt)}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
