import { lazy, Suspense } from "react";
import { navigate, useRoute } from "./lib/router";
import { StartPage } from "./start/StartPage";

// Monaco and xterm.js are most of the bundle; the start page should not wait for them.
const ProjectPage = lazy(() => import("./project/ProjectPage").then((m) => ({ default: m.ProjectPage })));

export function App() {
  const route = useRoute();
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
