import type { Ref } from "react";

/** The hidden file picker for a project export (the project's menu and the start page open it). */
export function ProjectFileInput({ ref, onFile }: { ref: Ref<HTMLInputElement>; onFile(file: File): void }) {
  return (
    <input
      ref={ref}
      type="file"
      accept=".json,application/json"
      hidden
      aria-label="Project file to import"
      onChange={(e) => {
        const file = e.target.files?.[0];
        // Cleared, so picking the same file again fires again.
        e.target.value = "";
        if (file) onFile(file);
      }}
    />
  );
}
