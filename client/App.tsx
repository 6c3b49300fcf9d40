import { lazy, Suspense, useEffect } from "react";
import { navigate, useRoute } from "./lib/router";
import { StartPage } from "./start/StartPage";

// Monaco and xterm.js are most of the bundle; the start page should not wait for them.
const loadProjectPage = () => import("./project/ProjectPage");
const ProjectPage = lazy(() => loadProjectPage().then((m) => ({ default: m.ProjectPage })));

/**
 * Once the start page is up and the browser idle, the project page's code (Monaco, xterm.js: 5 MB to
 * parse) is loaded ahead of the click that needs it, so a template card opens its editor sooner.
 */
function usePreloadProjectPage(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const preload = () => void loadProjectPage().catch(() => {}); // the click retries and shows the error
    if (typeof requestIdleCallback !== "function") {
      const timer = setTimeout(preload, 500);
      return () => clearTimeout(timer);
    }
    const handle = requestIdleCallback(preload, { timeout: 2_000 });
    return () => cancelIdleCallback(handle);
  }, [enabled]);
}

export function App() {
  const route = useRoute();
  usePreloadProjectPage(route.page === "home");
  switch (route.page) {
    case "home":
      return <StartPage />;
    case "project":
      return (
        <Suspense fallback={<div className="page-message">Opening {route.id}…</div>}>
          <ProjectPage id={route.id} />
        </Suspense>
      );
    case "missing":
      return (
        <div className="page-message">
          <h1>Nothing at {route.path}</h1>
          <div className="actions">
            <button type="button" className="primary" onClick={() => navigate("/")}>
              All projects
            </button>
          </div>
        </div>
      );
  }
}
