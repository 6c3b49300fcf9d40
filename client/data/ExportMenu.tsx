import { useEffect, useRef, useState } from "react";
import type { ExportFormat } from "../../shared/data";

/** The Export button and its formats; closes on a choice, a click elsewhere or Escape. */
export function ExportMenu({ onExport }: { onExport(format: ExportFormat): void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  const choose = (format: ExportFormat) => {
    setOpen(false);
    onExport(format);
  };
  return (
    <div className="export-menu" ref={root}>
      <button
        type="button"
        className="small-button export-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        title="Download the whole table"
        onClick={() => setOpen((o) => !o)}
      >
        Export
      </button>
      {open ? (
        <div className="export-menu-items" role="menu">
          <button type="button" role="menuitem" onClick={() => choose("csv")}>
            CSV
          </button>
          <button type="button" role="menuitem" onClick={() => choose("json")}>
            JSON
          </button>
        </div>
      ) : null}
    </div>
  );
}
