import type { ReactNode } from "react";
import { ModalDialog } from "../lib/ModalDialog";

interface Props {
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm(): void;
  onClose(): void;
  children: ReactNode;
}

/** Asks before something that cannot be undone; Cancel is where the focus starts. */
export function ConfirmDialog({ open, title, confirmLabel, onConfirm, onClose, children }: Props) {
  return (
    <ModalDialog open={open} title={title} className="confirm-dialog" onClose={onClose}>
      <p className="dialog-lead">{children}</p>
      <div className="dialog-actions">
        {/* biome-ignore lint/a11y/noAutofocus: the safe answer is where the focus starts */}
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
