import type { RecordedRequest } from "../../shared/requests";

/** The calls the app made to other origins while the request ran (host and path, as the gateway records them). */
export function OutboundCalls({ calls }: { calls: NonNullable<RecordedRequest["outbound"]> }) {
  return (
    <ul className="muted small">
      {calls.map((call, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed once recorded
        <li key={index}>
          {call.method} {call.url} → {call.status ?? "refused or failed"}
        </li>
      ))}
    </ul>
  );
}
