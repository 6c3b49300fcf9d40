import { useState } from "react";

interface Props {
  initial: string;
  placeholder?: string;
  /** Why a name is not acceptable, or null. */
  validate(name: string): string | null;
  /** The accepted name, or null when the user gave up (Escape, or leaving the field empty). */
  onDone(name: string | null): void;
}

export function TabNameInput({ initial, placeholder, validate, onDone }: Props) {
  const [value, setValue] = useState(initial);
  const trimmed = value.trim();
  const problem = trimmed === "" || trimmed === initial ? null : validate(trimmed);

  const commit = () => {
    if (trimmed === "" || trimmed === initial) return onDone(null);
    if (!problem) onDone(trimmed);
  };

  return (
    <span className="tab-input-wrap">
      <input
        className={`tab-input${problem ? " invalid" : ""}`}
        // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to type a name
        autoFocus
        aria-label="File name"
        aria-invalid={problem !== null}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        size={Math.max(8, value.length + 1)}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => (problem ? onDone(null) : commit())}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") onDone(null);
        }}
      />
      {problem ? (
        <span className="tab-input-error" role="alert">
          {problem}
        </span>
      ) : null}
    </span>
  );
}
