import { useCallback, useEffect, useRef, useState } from "react";

interface Props {
  /** The live app, or the draft (its own origin, its revision in the badge). */
  kind: "live" | "draft";
  previewUrl: string;
  /** The live version (the draft's revision); the preview reloads by itself whenever it moves. */
  liveVersion: number | null;
  /** Counts app restarts that keep the version (an env change); the preview reloads on each. */
  restarts: number;
  focusRef?: React.RefObject<(() => void) | null>;
}

/** A path typed in the bar, made absolute on the preview origin ("notes" means "/notes"). */
function normalizePath(input: string): string {
  const trimmed = input.trim();
  if (trimmed === "") return "/";
  try {
    // A full URL pasted into the bar keeps only its path, query and hash: the origin is the app's.
    const url = new URL(trimmed);
    return url.pathname + url.search + url.hash;
  } catch {
    return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  }
}

export function PreviewPane({ kind, previewUrl, liveVersion, restarts, focusRef }: Props) {
  const frameRef = useRef<HTMLIFrameElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [path, setPath] = useState("/");
  const [draft, setDraft] = useState("/");
  const [shownVersion, setShownVersion] = useState(liveVersion);
  const [loading, setLoading] = useState(true);
  const origin = previewUrl.replace(/\/$/, "");
  // Later navigations go through load(); a changing src would navigate a second time.
  const [initialSrc] = useState(`${origin}/`);

  const load = useCallback(
    (target: string) => {
      const frame = frameRef.current;
      if (!frame) return;
      setLoading(true);
      const url = origin + target;
      // replace() reloads even when the URL is unchanged and leaves the IDE's history alone.
      try {
        frame.contentWindow?.location.replace(url);
      } catch {
        frame.src = url;
      }
    },
    [origin],
  );

  useEffect(() => {
    if (liveVersion === null || liveVersion === shownVersion) return;
    setShownVersion(liveVersion);
    load(path);
  }, [liveVersion, shownVersion, path, load]);

  const [shownRestarts, setShownRestarts] = useState(restarts);
  useEffect(() => {
    if (restarts === shownRestarts) return;
    setShownRestarts(restarts);
    load(path);
  }, [restarts, shownRestarts, path, load]);

  useEffect(() => {
    if (focusRef) focusRef.current = () => inputRef.current?.select();
  }, [focusRef]);

  const go = (target: string) => {
    const next = normalizePath(target);
    setPath(next);
    setDraft(next);
    load(next);
  };

  return (
    <section className={`pane preview-pane ${kind}`} aria-label="Preview">
      <header className="pane-header preview-bar">
        <button
          type="button"
          className="icon-button"
          title="Reload the preview"
          aria-label="Reload the preview"
          onClick={() => load(path)}
        >
          ⟳
        </button>
        <form
          className="url-form"
          onSubmit={(e) => {
            e.preventDefault();
            go(draft);
          }}
        >
          <span className="url-origin" title={previewUrl}>
            {origin.replace(/^https?:\/\//, "")}
          </span>
          <input
            ref={inputRef}
            className="url-input"
            aria-label="Preview path"
            value={draft}
            spellCheck={false}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") setDraft(path);
            }}
          />
        </form>
        <span
          className={`version-badge${loading ? " loading" : ""}`}
          title={loading ? "Loading…" : `The ${kind === "draft" ? "draft" : "version"} this preview shows`}
          data-testid="preview-version"
        >
          {shownVersion === null ? "no code" : kind === "draft" ? `draft r${shownVersion}` : `v${shownVersion}`}
        </span>
        <a
          className="icon-button"
          href={origin + path}
          target="_blank"
          rel="noreferrer"
          title="Open in a new tab"
          aria-label="Open in a new tab"
        >
          ↗
        </a>
      </header>
      <div className="preview-host">
        <iframe
          ref={frameRef}
          title="App preview"
          src={initialSrc}
          onLoad={() => setLoading(false)}
          // Its own origin already isolates the app; the sandbox also keeps it from navigating the IDE.
          sandbox="allow-scripts allow-forms allow-same-origin allow-popups allow-modals allow-downloads"
        />
      </div>
    </section>
  );
}
