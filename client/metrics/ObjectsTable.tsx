import type { ObjectsResponse } from "../../shared/objects";
import { ago } from "../lib/time";
import { formatBytes, formatCount } from "./format";

interface Props {
  objects: ObjectsResponse;
  /** The object whose figures the view shows (its ID), or null for the whole project. */
  picked: string | null;
  onPick: (id: string | null) => void;
}

/**
 * A Worker project's share of the meter by object: each one's calls, failures, SQLite rows and
 * database, most used first. The figures are each object's since it was made (the charts above are
 * the project's, all objects together, for the window, or the picked object's: a click on its name
 * picks it, another click goes back to the project).
 */
export function ObjectsTable({ objects, picked, onPick }: Props) {
  return (
    <details className="metrics-section" open data-testid="metrics-objects">
      <summary>
        Durable Objects: {objects.objects.length} of {objects.limit}
      </summary>
      {objects.objects.length === 0 ? (
        <p className="metrics-note">None yet: the app makes one when its code first calls it.</p>
      ) : (
        <div className="objects-table-scroll">
          <table className="cost-table objects-table">
            <thead>
              <tr>
                <th scope="col">object</th>
                <th scope="col">calls</th>
                <th scope="col">rows read</th>
                <th scope="col">written</th>
                <th scope="col">size</th>
              </tr>
            </thead>
            <tbody>
              {objects.objects.map((o) => (
                <tr key={o.id} className={o.id === picked ? "picked" : undefined}>
                  <th
                    scope="row"
                    title={`${o.class} ${o.name ?? "(no name)"}\nID ${o.id}\n${o.errors} calls failed\nlast call ${ago(o.lastActiveAt)}`}
                  >
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={o.id === picked}
                      onClick={() => onPick(o.id === picked ? null : o.id)}
                    >
                      {o.label}
                    </button>
                  </th>
                  <td className={o.errors > 0 ? "bad" : undefined}>
                    {formatCount(o.requests)}
                    {o.errors > 0 ? ` (${formatCount(o.errors)} failed)` : ""}
                  </td>
                  <td>{formatCount(o.rowsRead)}</td>
                  <td>{formatCount(o.rowsWritten)}</td>
                  <td>{formatBytes(o.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="metrics-note">
        Each object's figures since it was made. The charts add every object up, or show the object picked (click its
        name) for the window.
      </p>
    </details>
  );
}
