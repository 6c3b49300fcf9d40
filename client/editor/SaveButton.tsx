import type { SaveState } from "../project/useSave";

interface Props {
  state: SaveState;
  dirty: boolean;
  onSave(): void;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const SAVE_SHORTCUT = isMac ? "⌘S" : "Ctrl+S";

export function SaveButton({ state, dirty, onSave }: Props) {
  const saving = state.kind === "saving";
  return (
    <button
      type="button"
      className={`save-button${dirty ? " dirty" : ""}`}
      onClick={onSave}
      disabled={saving}
      title={`Save and deploy (${SAVE_SHORTCUT})`}
      data-testid="save-button"
    >
      {saving ? "Saving…" : "Save"}
      <kbd>{SAVE_SHORTCUT}</kbd>
    </button>
  );
}
