import { useCallback, useEffect, useState } from "react";
import { messageOf } from "../../shared/errors";
import { formatBytes } from "../../shared/format";
import { parseHostPattern } from "../../shared/network/hosts";
import type { NetworkCall, NetworkEntry, NetworkResponse } from "../../shared/network/policy";
import { api } from "../lib/api";
import { FormError } from "../lib/FormError";
import { EnvNotice } from "./EnvNotice";

interface Props {
  projectId: string;
  token: string;
  /** The project's secrets, which an injected header may name. */
  secrets: string[];
  /** Called after a change the server accepted. */
  onChanged: () => void;
}

/** How a policy's header names a secret (a template literal would expand it). */
const secretRef = (name: string) => `$\{${name}}`;

/**
 * The Environment dialog's Network tab: the hosts the app's fetch() may reach, the headers the
 * gateway injects on calls to each (a secret's value the app never sees), and the last calls per host.
 */
export function NetworkTab({ projectId, token, secrets, onChanged }: Props) {
  const [network, setNetwork] = useState<NetworkResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [host, setHost] = useState("");
  const [headerName, setHeaderName] = useState("Authorization");
  const [prefix, setPrefix] = useState("Bearer ");
  const [secret, setSecret] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    setLoadError(null);
    api.network(projectId, token).then(setNetwork, (e: unknown) => setLoadError(messageOf(e)));
  }, [projectId, token]);
  useEffect(load, [load]);

  const save = async (allow: NetworkEntry[], message: string) => {
    if (!network) return;
    setBusy(true);
    setFormError(null);
    try {
      const { subrequestsPerMinute, maxResponseBytes, timeoutMs } = network;
      setNetwork(await api.setNetwork(projectId, token, { allow, subrequestsPerMinute, maxResponseBytes, timeoutMs }));
      setNotice(message);
      onChanged();
      return true;
    } catch (e) {
      setFormError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!network) return;
    const parsed = parseHostPattern(host);
    if (!parsed.ok) {
      setFormError(parsed.message);
      return;
    }
    const entry: NetworkEntry = { host: host.trim() };
    if (secret !== "") entry.headers = { [headerName.trim()]: `${prefix}${secretRef(secret)}` };
    const others = network.allow.filter((e) => e.host !== entry.host);
    if (await save([...others, entry], `${entry.host} allowed. The app can fetch it now.`)) {
      setHost("");
      setSecret("");
    }
  };

  const remove = (entry: NetworkEntry) =>
    void save(
      network?.allow.filter((e) => e !== entry) ?? [],
      `${entry.host} removed. The app's calls to it are refused.`,
    );

  if (loadError) {
    return (
      <p className="form-error" role="alert">
        Could not load the network policy: {loadError}
      </p>
    );
  }
  if (!network) return <p className="muted">Loading…</p>;

  return (
    <div className="network-tab">
      <p className="muted small dialog-lead">
        The app's <code>fetch()</code> reaches only these hosts; any other call throws an error naming the host. A
        header can carry one of the project's secrets: the gateway sets it on the way out and the app's code never sees
        the value (it leaves <code>this.env</code>). The IDE itself, preview origins and cloud metadata addresses are
        never reachable; a loopback or private address only as <code>address:port</code>.
      </p>
      {network.allow.length === 0 ? (
        <p className="muted empty">No host allowed: the app has no network.</p>
      ) : (
        <table className="env-table" aria-label="Allowed hosts">
          <tbody>
            {network.allow.map((entry) => (
              <tr key={entry.host} data-testid={`network-${entry.host}`}>
                <th scope="row">{entry.host}</th>
                <td className="env-value">
                  {Object.entries(entry.headers ?? {}).map(([name, value]) => (
                    <div key={name}>
                      {name}: {value}
                    </div>
                  ))}
                </td>
                <td className="env-actions">
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => remove(entry)}
                    aria-label={`Remove ${entry.host}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <form className="env-form" onSubmit={(e) => void add(e)} aria-label="Allow a host">
        <input
          aria-label="Host"
          placeholder="api.example.com"
          value={host}
          spellCheck={false}
          autoComplete="off"
          maxLength={300}
          onChange={(e) => setHost(e.target.value)}
        />
        <select aria-label="Secret to inject" value={secret} onChange={(e) => setSecret(e.target.value)}>
          <option value="">no header</option>
          {secrets.map((name) => (
            <option key={name} value={name}>
              inject secret {name}
            </option>
          ))}
        </select>
        {secret !== "" ? (
          <>
            <input
              aria-label="Header name"
              value={headerName}
              spellCheck={false}
              maxLength={64}
              onChange={(e) => setHeaderName(e.target.value)}
            />
            <input
              aria-label="Before the secret"
              value={prefix}
              spellCheck={false}
              maxLength={100}
              onChange={(e) => setPrefix(e.target.value)}
            />
          </>
        ) : null}
        <button type="submit" className="primary" disabled={busy || host.trim() === ""}>
          Allow
        </button>
        {secrets.length === 0 ? (
          <p className="muted small">To inject a credential, add it as a secret on the Variables tab first.</p>
        ) : null}
        <FormError message={formError} />
      </form>
      <EnvNotice notice={notice} />
      <RecentCalls recent={network.recent} onRefresh={load} />
    </div>
  );
}

function RecentCalls({ recent, onRefresh }: { recent: NetworkResponse["recent"]; onRefresh: () => void }) {
  return (
    <section className="network-recent" aria-label="Last calls">
      <div className="network-recent-header">
        <h3>Last calls</h3>
        <button type="button" onClick={onRefresh}>
          Refresh
        </button>
      </div>
      {recent.length === 0 ? (
        <p className="muted small">No call yet since the IDE started.</p>
      ) : (
        <table className="env-table">
          <tbody>
            {recent.map(({ host, calls }) => (
              <tr key={host}>
                <th scope="row">{host}</th>
                <td>{calls[0] ? callText(calls[0]) : null}</td>
                <td className="muted small">{calls.length} kept</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function callText(call: NetworkCall): string {
  const when = new Date(call.at).toLocaleTimeString();
  if (call.error) return `${when} ${call.method} ${call.path}: ${call.error}`;
  return `${when} ${call.method} ${call.path} → ${call.status} in ${call.ms} ms, ${formatBytes(call.bytes)}`;
}
