import { useEffect, useState } from "react";

interface Props {
  /** A task is running: the box keeps what is typed, and Stop replaces Send. */
  running: boolean;
  /** A task to continue: the box asks for a follow-up instead of a new request. */
  continuing: boolean;
  onSend(prompt: string): void;
  onStop(): void;
  focusRef?: React.RefObject<(() => void) | null>;
}

/** Where a person asks: Enter sends, Shift+Enter starts a new line. */
export function PromptBox({ running, continuing, onSend, onStop, focusRef }: Props) {
  const [text, setText] = useState("");
  const [box, setBox] = useState<HTMLTextAreaElement | null>(null);
  useEffect(() => {
    if (focusRef) focusRef.current = () => box?.focus();
  }, [focusRef, box]);

  const send = () => {
    const prompt = text.trim();
    if (prompt === "" || running) return;
    onSend(prompt);
    setText("");
  };
  const label = continuing ? "Follow-up for the assistant" : "Ask the assistant";
  return (
    <form
      className="assistant-prompt"
      aria-label="Prompt"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        ref={setBox}
        rows={3}
        aria-label={label}
        placeholder={
          continuing
            ? "Ask for more on this task (Enter sends, Shift+Enter for a new line)"
            : "What should change? e.g. add a /api/leaderboard route (Enter sends, Shift+Enter for a new line)"
        }
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          // Enter while an input method composes a word picks the word, it does not send.
          if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
          event.preventDefault();
          send();
        }}
      />
      <div className="assistant-prompt-actions">
        {running ? (
          <button type="button" className="danger" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={text.trim() === ""}>
            {continuing ? "Continue" : "Send"}
          </button>
        )}
      </div>
    </form>
  );
}
