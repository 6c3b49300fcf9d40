/**
 * The project's limits, editable: each shows what the project runs with and the global default; a
 * field left as the default follows it, "default" puts one back. Database size is entered in MiB.
 */
import { useEffect, useState } from "react";
import { messageOf } from "../../shared/errors";
import {
  LIMIT_NAMES,
  LIMIT_RANGES,
  type LimitName,
  type Limits,
  type LimitsResponse,
  type PutLimitsRequest,
} from "../../shared/metrics";
import { api } from "../lib/api";
import { formatBytes, formatCount } from "./format";

const LABELS: Record<LimitName, { label: string; unit: string }> = {
  requestsPerMinute: { label: "Requests", unit: "a minute" },
  databaseBytes: { label: "Database", unit: "MiB per object" },
  logLinesPerMinute: { label: "Console lines", unit: "a minute" },
  cpuMs: { label: "CPU", unit: "ms per call, deployed" },
  subRequests: { label: "Subrequests", unit: "per call, deployed" },
  objects: { label: "Durable Objects", unit: "per project" },
  socketMessagesPerSecond: { label: "WebSocket messages", unit: "a second per socket" },
  projectSocketMessagesPerSecond: { label: "WebSocket messages", unit: "a second, all sockets" },
};

const MIB = 1_048_576;
/** What a field shows for a value: MiB for the database, the number otherwise. */
const shown = (name: LimitName, value: number) =>
  name === "databaseBytes" ? String(Math.round((value / MIB) * 100) / 100) : String(value);
const draftOf = (answer: LimitsResponse) =>
  Object.fromEntries(LIMIT_NAMES.map((n) => [n, shown(n, answer.limits[n])])) as Record<LimitName, string>;
const describeDefault = (name: LimitName, value: number) =>
  name === "databaseBytes" ? formatBytes(value) : formatCount(value);

interface Props {
  projectId: string;
  token: string;
  /** After a change the server accepted. */
  onChanged: (limits: Limits) => void;
}

export function LimitsForm({ projectId, token, onChanged }: Props) {
  const [current, setCurrent] = useState<LimitsResponse | null>(null);
  const [draft, setDraft] = useState<Record<LimitName, string> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const take = (answer: LimitsResponse) => {
    setCurrent(answer);
    setDraft(draftOf(answer));
  };

  useEffect(() => {
    let cancelled = false;
    api.limits(projectId, token).then(
      (answer) => {
        if (cancelled) return;
        setCurrent(answer);
        setDraft(draftOf(answer));
      },
      (e: unknown) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [projectId, token]);

  const submit = async (change: PutLimitsRequest) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const answer = await api.setLimits(projectId, token, change);
      take(answer);
      onChanged(answer.limits);
      setNotice("Limits saved");
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const onSave = (event: React.FormEvent) => {
    event.preventDefault();
    if (!current || !draft) return;
    const change: PutLimitsRequest = {};
    for (const name of LIMIT_NAMES) {
      const text = draft[name].trim();
      const value = name === "databaseBytes" ? Math.round(Number(text) * MIB) : Number(text);
      if (text === "" || !Number.isFinite(value)) {
        setError(`${LABELS[name].label}: enter a number`);
        return;
      }
      if (value !== current.limits[name]) change[name] = value;
    }
    if (Object.keys(change).length === 0) {
      setNotice("Nothing changed");
      return;
    }
    void submit(change);
  };

  if (!current || !draft) {
    return <p className="metrics-note">{error ?? "Loading limits…"}</p>;
  }
  return (
    <form className="limits-form" onSubmit={onSave} data-testid="limits-form">
      <table>
        <tbody>
          {LIMIT_NAMES.map((name) => {
            const overridden = name in current.overrides;
            const range = LIMIT_RANGES[name];
            return (
              <tr key={name} title={range.what}>
                <th scope="row">
                  <label htmlFor={`limit-${name}`}>{LABELS[name].label}</label>
                </th>
                <td>
                  <input
                    id={`limit-${name}`}
                    name={name}
                    inputMode="decimal"
                    value={draft[name]}
                    onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
                  />
                </td>
                <td className="muted">{LABELS[name].unit}</td>
                <td className="muted">
                  {overridden ? (
                    <button
                      type="button"
                      className="link-button"
                      disabled={busy}
                      onClick={() => void submit({ [name]: null })}
                      title={`Back to the global default, ${describeDefault(name, current.defaults[name])}`}
                    >
                      default
                    </button>
                  ) : (
                    "default"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="limits-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save limits
        </button>
        {error && <span className="bad">{error}</span>}
        {notice && !error && <span className="ok">{notice}</span>}
      </div>
    </form>
  );
}
