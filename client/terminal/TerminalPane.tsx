import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import type { SqlTarget } from "../../shared/sql";
import type { ProjectConnection } from "../project/connection";
import { terminalTheme } from "../theme";
import { style } from "./ansi";
import { ConnectionNotes } from "./connection-notes";
import { ConsoleSession } from "./console-session";
import { localHistory } from "./history-store";

interface Props {
  connection: ProjectConnection;
  /** Which database the SQL console runs on: the live app's or the draft's. */
  sqlTarget: SqlTarget;
  /** Lets the page focus the terminal from a keyboard shortcut. */
  focusRef?: React.RefObject<(() => void) | null>;
}

const BANNER = `${style.bold("Terminal")} ${style.gray("· the app's requests, logs and errors stream here · type SQL to query its database · .help")}`;

export function TerminalPane({ connection, sqlTarget, focusRef }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const sessionRef = useRef<ConsoleSession | null>(null);
  // Read by the session at each statement, so switching the target needs no new terminal.
  const targetRef = useRef(sqlTarget);
  const [announced, setAnnounced] = useState(sqlTarget);
  /** A Worker project's object the console runs on, once `.object NAME` picked one. */
  const [object, setObject] = useState<string | null>(null);
  targetRef.current = sqlTarget;

  useEffect(() => {
    if (sqlTarget === announced) return;
    setAnnounced(sqlTarget);
    sessionRef.current?.print(
      sqlTarget === "draft"
        ? style.magenta("SQL now runs on the draft's copy of the data (the live database is untouched)")
        : style.cyan("SQL now runs on the live app's database"),
    );
  }, [sqlTarget, announced]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      theme: terminalTheme,
      fontFamily: '"JetBrains Mono", "Fira Code", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 13,
      // Box-drawing characters only join up without extra line spacing (the DOM renderer draws them as text).
      lineHeight: 1,
      cursorBlink: true,
      scrollback: 5000,
      allowTransparency: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    fit.fit();

    const session = new ConsoleSession(
      term,
      (sql, params, object) => connection.sql(sql, params, targetRef.current, object),
      localHistory(connection.id),
      () => connection.objects(),
      setObject,
    );
    sessionRef.current = session;
    session.start(BANNER);

    const notes = new ConnectionNotes();
    const stopListening = connection.listen((event) => {
      if (event.type === "entries") session.showLogs(event.entries, event.fromHello);
      else if (event.type === "problem") session.printForeign(`⚠ ${event.message}`, style.yellow);
      else if (event.type === "note") for (const line of event.lines) session.printForeign(line, style.cyan);
      else {
        const line = notes.note(event.status);
        if (line) session.print(line);
      }
    });
    const onData = term.onData((data) => session.input(data));
    const onResize = term.onResize(() => session.resized());
    // Fit after layout settles: panes resize by dragging, and the window by itself.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
      });
    });
    observer.observe(host);
    if (focusRef) focusRef.current = () => term.focus();

    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      stopListening();
      onData.dispose();
      onResize.dispose();
      term.dispose();
      sessionRef.current = null;
      if (focusRef) focusRef.current = null;
    };
  }, [connection, focusRef]);

  return (
    <section className="pane terminal-pane" aria-label="Terminal">
      <header className="pane-header">
        <span className="pane-title">Terminal</span>
        <span className="pane-hint">logs · SQL console on</span>
        <span className={`sql-target ${sqlTarget}`} data-testid="sql-target">
          {sqlTarget === "draft" ? "the draft" : "live"}
        </span>
        {object ? (
          <span
            className="sql-object"
            data-testid="sql-object"
            title="The object .object picked (.object alone: the most used)"
          >
            {object}
          </span>
        ) : null}
        <span className="spacer" />
        <button
          type="button"
          className="icon-button"
          title="Clear the terminal (Ctrl+L)"
          onClick={() => sessionRef.current?.clear()}
        >
          Clear
        </button>
      </header>
      <div className="terminal-host" ref={hostRef} data-testid="terminal" />
    </section>
  );
}
