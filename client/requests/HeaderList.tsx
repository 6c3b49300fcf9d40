import { REDACTED } from "../../shared/requests";

/** Headers as name: value lines; redacted values are marked as such. */
export function HeaderList({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="muted small">No headers</p>;
  return (
    <dl className="header-list">
      {entries.map(([name, value]) => (
        <div key={name} className="header-line">
          <dt>{name}</dt>
          <dd className={value === REDACTED ? "redacted" : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
