/**
 * A Worker project's static assets (`assets.directory` in its wrangler.jsonc), answered from the
 * version's files as Cloudflare's asset handling would: before the Worker runs unless
 * `run_worker_first` says otherwise, `/` and `/dir/` as their index.html, `/page` as page.html or
 * page/index.html (the default `auto-trailing-slash` html handling, without its redirects), and
 * through the assets binding (`env.ASSETS.fetch`) when the configuration names one. Files are text,
 * as every project file here is.
 */
import type { AssetsConfig } from "../../../shared/project-config";

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  htm: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  json: "application/json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  svg: "image/svg+xml",
  xml: "application/xml; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/** The project file a path names in the assets folder, if any. */
export function assetFileFor(files: Record<string, string>, assets: AssetsConfig, pathname: string): string | null {
  if (!assets.directory) return null;
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path.split("/").includes("..")) return null;
  const base = `${assets.directory}${path}`;
  const candidates = path.endsWith("/")
    ? [`${base}index.html`]
    : assets.htmlHandling === "none"
      ? [base]
      : [base, `${base}.html`, `${base}/index.html`];
  return candidates.find((c) => Object.hasOwn(files, c)) ?? null;
}

/**
 * The asset answering `request`, or null when none does (the Worker answers then). `binding`: asked
 * through the assets binding, which answers 404 itself (with 404.html under `404-page`).
 */
export function serveAsset(
  files: Record<string, string>,
  assets: AssetsConfig,
  request: Request,
  { binding = true } = {},
): Response | null {
  if (request.method !== "GET" && request.method !== "HEAD")
    return binding ? new Response(null, { status: 405 }) : null;
  const { pathname } = new URL(request.url);
  const file = assetFileFor(files, assets, pathname);
  if (file) return fileResponse(files, file, request.method, 200);
  if (assets.notFoundHandling === "single-page-application" && wantsPage(request)) {
    const index = `${assets.directory}/index.html`;
    if (Object.hasOwn(files, index)) return fileResponse(files, index, request.method, 200);
  }
  if (!binding) return null;
  const notFound = `${assets.directory}/404.html`;
  if (assets.notFoundHandling === "404-page" && Object.hasOwn(files, notFound)) {
    return fileResponse(files, notFound, request.method, 404);
  }
  return new Response("Not Found", { status: 404 });
}

function wantsPage(request: Request): boolean {
  return (
    request.headers.get("sec-fetch-mode") === "navigate" || (request.headers.get("accept") ?? "").includes("text/html")
  );
}

function fileResponse(files: Record<string, string>, file: string, method: string, status: number): Response {
  const extension = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
  return new Response(method === "HEAD" ? null : (files[file] ?? ""), {
    status,
    headers: { "content-type": CONTENT_TYPES[extension] ?? "application/octet-stream" },
  });
}
