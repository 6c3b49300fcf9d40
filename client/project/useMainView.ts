import { type RefObject, useCallback, useRef, useState } from "react";
import { useViewShortcuts } from "./useViewShortcuts";

type Focus = RefObject<(() => void) | null>;

/**
 * Which view the workbench's main area shows, whether the Data view has mounted yet, and the focus
 * handles each pane registers, with the Alt+digit shortcuts that show and focus them.
 */
export function useMainView(toggleMetrics: () => void) {
  const focus: Record<"code" | "preview" | "terminal" | "data" | "requests" | "assistant", Focus> = {
    code: useRef(null),
    preview: useRef(null),
    terminal: useRef(null),
    data: useRef(null),
    requests: useRef(null),
    assistant: useRef(null),
  };
  const [mainView, setMainView] = useState("code");
  /** The Data view mounts when first shown and then stays, so it keeps its table, page and edits. */
  const [dataOpened, setDataOpened] = useState(false);
  const showView = useCallback((id: string) => {
    setMainView(id);
    if (id === "data") setDataOpened(true);
  }, []);

  useViewShortcuts(showView, { ...focus, toggleMetrics });
  return { mainView, dataOpened, showView, focus };
}
