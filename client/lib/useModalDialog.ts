import { useEffect, useRef } from "react";

/**
 * A native <dialog> shown modally while `open`: the browser gives it focus trapping, Escape (which
 * fires `close`, so keep `open` in sync from onClose) and the backdrop.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}
