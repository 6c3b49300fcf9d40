import { type ReactNode, useEffect, useId, useRef } from "react";

interface Props {
  open: boolean;
  title: string;
  /** Added to "dialog" (sizes and layout per dialog). */
  className: string;
  /** Called on the close button and on Escape (the browser closes the dialog and fires `close`). */
  onClose: () => void;
  children: ReactNode;
}

/**
 * A native <dialog> shown modally while `open`, with a titled header and a close button. The browser
 * gives it focus trapping, Escape and the backdrop.
 */
export function ModalDialog({ open, title, className, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`dialog ${className}`} aria-labelledby={titleId} onClose={onClose}>
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
