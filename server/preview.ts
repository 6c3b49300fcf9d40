/** Which requests are for an app's preview origin (`<project>.<PREVIEW_DOMAIN>`), and its URL. */
import { projectIdPattern } from "../shared/api";

/** The project a request's Host names, or null when the request is for the IDE itself. */
export function previewProjectOf(request: Request, env: Env): string | null {
  const hostname = new URL(request.url).hostname.toLowerCase();
  const suffix = `.${env.PREVIEW_DOMAIN.toLowerCase()}`;
  if (!hostname.endsWith(suffix)) return null;
  const label = hostname.slice(0, -suffix.length);
  return projectIdPattern.test(label) ? label : null;
}

export function previewUrl(requestUrl: string, env: Env, projectId: string): string {
  const url = new URL(requestUrl);
  const port = url.port ? `:${url.port}` : "";
  return `${url.protocol}//${projectId}.${env.PREVIEW_DOMAIN}${port}/`;
}
