import { type RefObject, useEffect, useRef } from "react";

type Focus = RefObject<(() => void) | null>;

/** What each Alt+digit reaches: the views it shows and focuses, and the metrics it toggles. */
export interface ViewTargets {
  code: Focus;
  preview: Focus;
  terminal: Focus;
  data: Focus;
  requests: Focus;
  assistant: Focus;
  toggleMetrics: () => void;
}

/**
 * Alt+1 to Alt+7, captured before the editor or terminal sees them (they would type or swallow the
 * keys otherwise): show a view of the main area, then focus it once it is on screen.
 */
export function useViewShortcuts(showView: (id: string) => void, targets: ViewTargets): void {
  // The targets object is new on every render; the listener reads the latest through a ref.
  const latest = useRef(targets);
  latest.current = targets;
  useEffect(() => {
    const show = (id: string, focus: Focus) => () => {
      showView(id);
      requestAnimationFrame(() => focus.current?.());
    };
    const actionFor = (code: string): (() => void) | null => {
      const t = latest.current;
      if (code === "Digit1") return show("code", t.code);
      if (code === "Digit2") return () => t.preview.current?.();
      if (code === "Digit3") return () => t.terminal.current?.();
      if (code === "Digit4") return show("data", t.data);
      if (code === "Digit5") return t.toggleMetrics;
      if (code === "Digit6") return show("requests", t.requests);
      if (code === "Digit7") return show("assistant", t.assistant);
      return null;
    };
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const action = actionFor(event.code);
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [showView]);
}
