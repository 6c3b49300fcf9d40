import { LogEntry } from "../../shared/logs";
import type { RecordedRequest } from "../../shared/requests";

/** What the request logged, one line each: its request line, what it printed, its exception with the stack. */
export function LogLines({ lines }: { lines: RecordedRequest["logs"] }) {
  if (lines.length === 0) return <p className="muted small">No lines</p>;
  return (
    <ol className="request-logs">
      {lines.map((raw, i) => {
        const parsed = LogEntry.safeParse(raw);
        const key = `${raw.at}-${i}`;
        if (!parsed.success) return <li key={key}>{raw.kind}</li>;
        const line = parsed.data;
        if (line.kind === "request") {
          return (
            <li key={key} className="muted">
              {line.method} {line.path} → {line.status} ({line.durationMs} ms)
            </li>
          );
        }
        if (line.kind === "exception") {
          return (
            <li key={key} className="log-exception">
              <strong>
                {line.name}: {line.message}
              </strong>
              {line.stack && <pre>{line.stack}</pre>}
            </li>
          );
        }
        const message = "message" in line ? line.message : line.kind;
        return (
          <li key={key} className={line.kind === "console" && line.level === "error" ? "log-exception" : undefined}>
            {message}
          </li>
        );
      })}
    </ol>
  );
}
