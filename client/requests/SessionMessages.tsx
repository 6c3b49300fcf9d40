import type { RecordedMessages, RecordedSide } from "../../shared/requests";
import { BodyView } from "./BodyView";

/** A recorded WebSocket session: per side, how many messages it sent and its first and last. */
export function SessionMessages({ messages }: { messages: RecordedMessages }) {
  const side = (label: string, { count, first, last }: RecordedSide) => (
    <div>
      <p className="muted small">
        {label}: {count} message{count === 1 ? "" : "s"}
      </p>
      {first && (
        <>
          <p className="muted small">First</p>
          <BodyView body={first} kept="4 KiB" />
        </>
      )}
      {last && (
        <>
          <p className="muted small">Last</p>
          <BodyView body={last} kept="4 KiB" />
        </>
      )}
    </div>
  );
  return (
    <>
      {side("From the client", messages.client)}
      {side("From the app", messages.app)}
    </>
  );
}
