import { useEffect, useState } from "react";
import type { TemplateInfo } from "../../shared/api";
import { messageOf } from "../../shared/errors";
import { api } from "../lib/api";

/** What each template shows off, as a short tag on its card. */
const TAGS: Record<string, string> = {
  notes: "SQLite",
  chat: "WebSockets",
  reminders: "Alarms",
  blank: "Empty",
};

interface Props {
  /** The template being created right now, if any: its card says so and every card waits. */
  creating: string | null;
  onPick: (template: string) => void;
}

/** The start page's "new project" choices: one card per template the server offers. */
export function TemplatePicker({ creating, onPick }: Props) {
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // `attempt` re-runs the fetch when the person asks to try again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    let cancelled = false;
    setError(null);
    api.templates().then(
      (answer) => !cancelled && setTemplates(answer.templates),
      (e: unknown) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  if (error) {
    return (
      <p className="form-error" role="alert">
        Could not load the templates: {error}.{" "}
        <button type="button" className="link-button" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </p>
    );
  }
  if (!templates) return <p className="muted">Loading templates…</p>;

  return (
    <ul className="template-grid" aria-label="New project from a template">
      {templates.map((t) => (
        <li key={t.name}>
          <button
            type="button"
            className={`template-card${t.name === "blank" ? " blank" : ""}`}
            aria-labelledby={`template-${t.name}-title`}
            aria-describedby={`template-${t.name}-description`}
            disabled={creating !== null}
            onClick={() => onPick(t.name)}
          >
            <span className="template-title" id={`template-${t.name}-title`}>
              {creating === t.name ? "Creating…" : t.title}
            </span>
            <span className="template-tag">{TAGS[t.name] ?? t.name}</span>
            <span className="template-description" id={`template-${t.name}-description`}>
              {t.description}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
