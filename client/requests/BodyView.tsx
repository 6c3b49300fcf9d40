import type { RecordedBody } from "../../shared/requests";

/** A recorded body: text as it is, binary as its size (the bytes are kept, base64, for replay and the API). */
export function BodyView({ body, kept = "64 KiB" }: { body: RecordedBody; kept?: string }) {
  if (body.size === 0) return <p className="muted small">No body</p>;
  const cut = body.truncated ? ` (first ${kept} of ${body.size} bytes)` : "";
  if (body.encoding === "base64") {
    return (
      <p className="muted small">
        Binary body, {body.size} bytes{cut}
      </p>
    );
  }
  return (
    <>
      <pre className="request-body">{body.body}</pre>
      {cut && <p className="muted small">Cut{cut}</p>}
    </>
  );
}
