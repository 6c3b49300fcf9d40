/**
 * How a fetch call's outcome goes back to the supervisor, marked with the load's channel secret (the
 * App's wrapper and a Worker project's main module both answer so; supervisor/app-host/app-channel.ts
 * reads it). The app's code runs in the same isolate and may have replaced Headers, Response and
 * their methods, so only the originals are used here, and the secret is only ever handed to them.
 */
import { describeError } from "./logs/log-lines";
import { type Bare, originals as O } from "./originals";
import { EXCEPTION_HEADER, LOGS_HEADER, type LogLine, WHOLE_BODY_HEADER } from "./protocol";
import { isWhole } from "./whole-bodies";

/** A response only the IDE's modules make: the exception a fetch call threw, marked with `channel`. */
export function exceptionResponse(channel: string, error: unknown, lines: LogLine[]): Response {
  let body: string;
  try {
    body = O.JSON_stringify({ ...describeError(error), logs: lines });
  } catch {
    body = "{}";
  }
  const headers = new O.Headers();
  O.apply(O.headersSet, headers, ["content-type", "application/json"]);
  O.apply(O.headersSet, headers, [EXCEPTION_HEADER, channel]);
  const init: Bare<ResponseInit> = { __proto__: null, status: 500, headers };
  return new O.Response(body, init);
}

/**
 * The app's response as the supervisor gets it: marked when its body was given whole (whole-bodies.ts),
 * with its console lines in a header when it logged any; both marks carry `channel`. A marked response
 * is always a new one: the app may keep a reference to its own and read its headers later, so the
 * secret never goes on an object the app can reach (and its headers may be immutable anyway).
 */
export function answered(channel: string, response: Response, lines: LogLine[]): Response {
  const status = response.status;
  const whole = status !== 101 && isWhole(response);
  if (lines.length === 0 && !whole) return response;
  const headers = new O.Headers(response.headers);
  if (lines.length > 0) {
    O.apply(O.headersSet, headers, [LOGS_HEADER, `${channel}.${O.encodeURIComponent(O.JSON_stringify(lines))}`]);
  }
  if (whole) O.apply(O.headersSet, headers, [WHOLE_BODY_HEADER, channel]);
  const init: Bare<ResponseInit> = {
    __proto__: null,
    status,
    statusText: response.statusText,
    headers,
    webSocket: response.webSocket,
  };
  return new O.Response(status === 101 ? null : response.body, init);
}
