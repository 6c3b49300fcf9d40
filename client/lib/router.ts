/** A two-route history router: `/` and `/p/<id>`. A library would be more than the app needs. */
import { useSyncExternalStore } from "react";

export type Route = { page: "home" } | { page: "project"; id: string } | { page: "missing"; path: string };

const NAVIGATE = "facet-ide:navigate";

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATE));
}

export function projectPath(id: string): string {
  return `/p/${encodeURIComponent(id)}`;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("popstate", listener);
  window.addEventListener(NAVIGATE, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(NAVIGATE, listener);
  };
}

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { page: "home" };
  const match = pathname.match(/^\/p\/([^/]+)\/?$/);
  if (match?.[1]) return { page: "project", id: decodeURIComponent(match[1]) };
  return { page: "missing", path: pathname };
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, () => location.pathname);
  return parseRoute(pathname);
}
