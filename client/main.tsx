import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import "./styles/base.css";
import "./styles/start.css";
import "./styles/workbench.css";
import "./styles/editor.css";
import "./styles/preview.css";
import "./styles/terminal.css";
import "./styles/dialogs.css";
import "./styles/history.css";
import "./styles/time-travel.css";
import "./styles/agents.css";
import "./styles/metrics.css";
import "./styles/requests.css";
import "./styles/assistant.css";
import "./styles/data-view.css";
import "./styles/data-grid.css";
import "./styles/data-panels.css";

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
