/** Which requests are for an app's preview origin (`<project>.<PREVIEW_DOMAIN>`), and its URL. */
import { projectIdPattern } from "../shared/api";

/** The draft's origin is `<project>--draft.<PREVIEW_DOMAIN>`: one label, as ids never hold `--`. */
const DRAFT_SUFFIX = "--draft";

/**
 * The project a request's Host names (its app's origin or its draft's), or null when the request
 * is for the IDE itself.
 */
export function previewProjectOf(request: Request, env: Env): string | null {
  const hostname = new URL(request.url).hostname.toLowerCase();
  const suffix = `.${env.PREVIEW_DOMAIN.toLowerCase()}`;
  if (!hostname.endsWith(suffix)) return null;
  const label = hostname.slice(0, -suffix.length);
  const id = label.endsWith(DRAFT_SUFFIX) ? label.slice(0, -DRAFT_SUFFIX.length) : label;
  return projectIdPattern.test(id) ? id : null;
}

/** Whether a preview host is a draft's (the supervisor serves it from the draft's facet). */
export function isDraftHost(hostname: string): boolean {
  return (hostname.split(".")[0] ?? "").toLowerCase().endsWith(DRAFT_SUFFIX);
}

export function previewUrl(requestUrl: string, env: Env, projectId: string, { draft = false } = {}): string {
  const url = new URL(requestUrl);
  const port = url.port ? `:${url.port}` : "";
  return `${url.protocol}//${projectId}${draft ? DRAFT_SUFFIX : ""}.${env.PREVIEW_DOMAIN}${port}/`;
}

/** What a preview origin of a project that does not exist answers (the worker's, or its supervisor's). */
export function noSuchProject(hostname: string): Response {
  return new Response(`No project is called '${hostname.split(".")[0]}'.\n`, {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}
