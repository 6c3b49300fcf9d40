/**
 * The Metrics view: the app's traffic, latency, database size and SQLite rows for the last hour, day
 * or 30 days, what that would cost on Cloudflare, its limits and, for a Worker project, each object's
 * share (and any one object's figures alone, picked above the tiles or in the objects table). Live
 * while open: it reads GET /api/projects/:id/metrics (and /objects) again every few
 * seconds while the page is visible.
 */
import { useCallback, useEffect, useState } from "react";
import { messageOf } from "../../shared/errors";
import type { Limits, MetricsResponse, MetricsWindow } from "../../shared/metrics";
import type { ObjectsResponse } from "../../shared/objects";
import { api } from "../lib/api";
import { palette } from "../theme";
import { formatBytes, formatCount, formatMs, formatUsd } from "./format";
import { LimitsForm } from "./LimitsForm";
import { ObjectsTable } from "./ObjectsTable";
import { TimeChart } from "./TimeChart";

const REFRESH_MS = 5_000;
const WINDOWS: MetricsWindow[] = ["1h", "24h", "30d"];

interface Props {
  projectId: string;
  token: string;
  onClose: () => void;
}

function Tile({ label, value, detail, bad }: { label: string; value: string; detail?: string; bad?: boolean }) {
  return (
    <div className={`metric-tile${bad ? " bad" : ""}`}>
      <span className="metric-label">{label}</span>
      <span className="metric-value">{value}</span>
      {detail && <span className="metric-detail">{detail}</span>}
    </div>
  );
}

export function MetricsView({ projectId, token, onClose }: Props) {
  const [range, setRange] = useState<MetricsWindow>("1h");
  const [data, setData] = useState<MetricsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [objects, setObjects] = useState<ObjectsResponse | null>(null);
  /** The object whose figures are shown (its ID); null: the whole project. */
  const [object, setObject] = useState<string | null>(null);

  const load = useCallback(
    async (which: MetricsWindow, of: string | null) => {
      // A Worker project's objects; the metrics stand without them if this fails.
      const listed = await api.objects(projectId, token).catch(() => null);
      setObjects(listed);
      if (of !== null && listed && !listed.objects.some((o) => o.id === of)) {
        // The object was deleted (or the data reset): back to the project's figures.
        setObject(null);
        return;
      }
      try {
        const answer = await api.metrics(projectId, token, which, of);
        setData(answer);
        setError(null);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [projectId, token],
  );

  useEffect(() => {
    void load(range, object);
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void load(range, object);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, range, object]);

  const onLimits = (limits: Limits) => setData((d) => (d ? { ...d, limits } : d));

  const per = data?.bucketMs === 3_600_000 ? "per hour" : "per minute";
  // An object's requests are the calls made to it (fetch and RPC).
  const requestsName = data?.object ? "Calls" : "Requests";
  const t = data?.totals;
  const cap = data?.limits.databaseBytes ?? 0;
  // The limit is drawn when it is near enough to show the size beside it; a 20 KiB database under a
  // 1 GiB limit would be a flat line at the bottom. The title always names it.
  const largest = Math.max(
    0,
    ...[...(data?.series.databaseBytes ?? []), ...(data?.series.snapshotBytes ?? [])].map((v) => v ?? 0),
  );
  const capOnChart = cap <= largest * 4;
  return (
    <section className="pane metrics-pane" data-testid="metrics-view" aria-label="Metrics">
      <header className="pane-header">
        <span className="pane-title">Metrics</span>
        <select
          aria-label="Window"
          value={range}
          onChange={(e) => setRange(e.target.value as MetricsWindow)}
          data-testid="metrics-window"
        >
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              last {w === "1h" ? "hour" : w === "24h" ? "24 hours" : "30 days"}
            </option>
          ))}
        </select>
        {objects?.worker && objects.objects.length > 0 ? (
          <select
            aria-label="Object"
            value={object ?? ""}
            onChange={(e) => setObject(e.target.value === "" ? null : e.target.value)}
            data-testid="metrics-object"
          >
            <option value="">whole project</option>
            {objects.objects.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        ) : null}
        <span className="spacer" />
        <button type="button" className="icon-button" onClick={onClose} title="Close Metrics (Alt+5)">
          ×
        </button>
      </header>
      <div className="metrics-body">
        {error && <p className="metrics-note bad">{error}</p>}
        {!data || !t ? (
          !error && <p className="metrics-note">Loading…</p>
        ) : (
          <>
            <div className="metric-tiles" data-testid="metric-tiles">
              <Tile
                label={requestsName}
                value={formatCount(t.requests)}
                detail={
                  data.object
                    ? `${formatCount(t.errors)} 5xx · ${formatCount(t.exceptions)} threw`
                    : `${formatCount(t.errors)} 5xx · ${formatCount(t.rateLimited)} 429`
                }
                bad={t.rateLimited > 0}
              />
              <Tile label="Latency" value={formatMs(t.p95Ms)} detail={`p95 · p50 ${formatMs(t.p50Ms)}`} />
              <Tile
                label="SQLite rows"
                value={formatCount(t.rowsRead)}
                detail={`read · ${formatCount(t.rowsWritten)} written`}
              />
              <Tile
                label="Database"
                value={formatBytes(t.databaseBytes)}
                detail={`of ${formatBytes(cap)}${t.snapshotBytes ? ` · snapshots ${formatBytes(t.snapshotBytes)}` : ""}${t.writesRefused > 0 ? ` · ${t.writesRefused} refused` : ""}`}
                bad={(t.databaseBytes ?? 0) >= cap}
              />
              <Tile label="WebSocket" value={formatCount(t.wsIn)} detail={`in · ${formatCount(t.wsOut)} out`} />
              <Tile label="Cost" value={formatUsd(data.cost.totalUsd)} detail={`at ${data.cost.pricesAsOf} prices`} />
            </div>
            <TimeChart
              testId="chart-requests"
              title={`${requestsName} and errors ${per}${data.object ? ` · ${data.object}` : ""}`}
              at={data.series.at}
              format={formatCount}
              lines={[
                { label: requestsName.toLowerCase(), values: data.series.requests, color: palette.blue, fill: true },
                { label: "5xx", values: data.series.errors, color: palette.red },
                // The rate limit answers the app's origin, never a call to an object.
                ...(data.object ? [] : [{ label: "429", values: data.series.rateLimited, color: palette.yellow }]),
              ]}
            />
            <TimeChart
              testId="chart-latency"
              title="Latency to the response headers"
              at={data.series.at}
              format={formatMs}
              lines={[
                { label: "p95", values: data.series.p95Ms, color: palette.magenta, dots: true },
                { label: "p50", values: data.series.p50Ms, color: palette.cyan, dots: true },
              ]}
            />
            <TimeChart
              testId="chart-database"
              title={`Database and snapshots on disk (limit ${formatBytes(cap)})`}
              at={data.series.at}
              format={(v) => formatBytes(v)}
              lines={[
                { label: "size", values: data.series.databaseBytes, color: palette.green, fill: true },
                { label: "snapshots", values: data.series.snapshotBytes, color: palette.yellow },
                ...(capOnChart
                  ? [{ label: "limit", values: data.series.at.map(() => cap), color: palette.red, dashed: true }]
                  : []),
              ]}
            />
            <TimeChart
              testId="chart-rows"
              title={`SQLite rows ${per}`}
              at={data.series.at}
              format={formatCount}
              lines={[
                { label: "read", values: data.series.rowsRead, color: palette.cyan },
                { label: "written", values: data.series.rowsWritten, color: palette.accent },
              ]}
            />
            {data.object ? null : (
              <TimeChart
                testId="chart-subrequests"
                title={`Outbound subrequests ${per} (the app's fetch() through the network gateway)`}
                at={data.series.at}
                format={formatCount}
                lines={[{ label: "subrequests", values: data.series.subrequests, color: palette.magenta }]}
              />
            )}
            {objects?.worker ? <ObjectsTable objects={objects} picked={object} onPick={setObject} /> : null}
            <details className="metrics-section">
              <summary>
                Cost on Cloudflare: {formatUsd(data.cost.totalUsd)} for this window (prices of {data.cost.pricesAsOf})
              </summary>
              <table className="cost-table">
                <tbody>
                  {data.cost.lines.map((line) => (
                    <tr key={line.item}>
                      <th scope="row">{line.item}</th>
                      <td>
                        {formatCount(line.quantity)} {line.unit}
                      </td>
                      <td className="muted">
                        ${line.price} / {line.per === 1 ? "" : formatCount(line.per)} {line.per === 1 ? line.unit : ""}
                      </td>
                      <td>{formatUsd(line.usd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ul className="metrics-notes">
                {data.cost.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </details>
            <details className="metrics-section" open>
              <summary>Limits</summary>
              <LimitsForm projectId={projectId} token={token} onChanged={onLimits} />
            </details>
          </>
        )}
      </div>
    </section>
  );
}
