/**
 * The terminal's behaviour, without xterm.js: the project's log lines, and a SQL console whose
 * input stays intact at the bottom while logs print above it. TerminalPane only wires a real
 * terminal and socket to this class, so tests can drive it with a fake terminal.
 */
import { messageOf } from "../../shared/errors";
import type { LogEntry } from "../../shared/logs";
import type { ObjectsResponse } from "../../shared/objects";
import type { SqlParam, SqlResult } from "../../shared/sql";
import { visibleControls, visibleStrings } from "../../shared/terminal-text";
import { style, toCrlf } from "./ansi";
import { type RunSql, runDotCommand } from "./dot-commands";
import { parseKeyRuns } from "./keys";
import { CONTINUATION_PROMPT, type HistoryStore, LineEditor, PROMPT } from "./line-editor";
import { formatLogEntry } from "./log-format";
import { PromptView, type TermLike } from "./prompt-view";
import { formatResult } from "./sql-format";
import { splitStatements } from "./sql-split";

export class ConsoleSession {
  #term: TermLike;
  #run: RunSql;
  #editor: LineEditor;
  #view: PromptView;
  /** Set while statements run; the prompt is hidden and typed keys wait in `#queue`. */
  #job: { cancelled: boolean } | null = null;
  #queue = "";
  /** Highest log sequence number printed, so a reconnect's history does not repeat lines. */
  #lastSeq = -1;

  /** A Worker project's object the console runs on (null: the App, or the object the app uses most). */
  #object: string | null = null;
  #objects: () => Promise<ObjectsResponse>;
  #onObject: (object: string | null) => void;

  /**
   * `run(sql, params, object)` runs on the object named (null: the App or the most used one);
   * `onObject` hears which object `.object` picked, for the terminal's header.
   */
  constructor(
    term: TermLike,
    run: (sql: string, params: SqlParam[] | undefined, object: string | null) => Promise<SqlResult>,
    history: HistoryStore,
    objects: () => Promise<ObjectsResponse> = async () => ({ worker: false, objects: [], limit: 0 }),
    onObject: (object: string | null) => void = () => {},
  ) {
    this.#term = term;
    this.#run = (sql, params, object) => run(sql, params, object ?? this.#object);
    this.#objects = objects;
    this.#onObject = onObject;
    this.#editor = new LineEditor(history);
    this.#view = new PromptView(term, () => {
      if (this.#job) return null;
      const e = this.#editor;
      const lines = [
        ...e.committed.map((text, i) => ({ prompt: i === 0 ? PROMPT : CONTINUATION_PROMPT, text })),
        { prompt: e.prompt, text: e.line },
      ];
      return { lines, beforeCursor: e.beforeCursor };
    });
  }

  /** The first screen: what this is and how to get help, then the prompt. */
  start(banner: string): void {
    this.#view.print(banner);
  }

  print(text: string): void {
    this.#view.print(toCrlf(text));
  }

  /** A line of text from elsewhere (the server's problems), with its control characters shown. */
  printForeign(text: string, paint: (text: string) => string = (t) => t): void {
    this.print(paint(visibleControls(text)));
  }

  /** History from `hello` (after every connect) and live `logs`; lines already shown are skipped. */
  showLogs(entries: LogEntry[], fromHello = false): void {
    const fresh = entries.filter((e) => e.seq > this.#lastSeq);
    if (fresh.length === 0) return;
    const first = fresh[0]!;
    const lines: string[] = [];
    if (fromHello && this.#lastSeq >= 0 && first.seq > this.#lastSeq + 1) {
      const missed = first.seq - this.#lastSeq - 1;
      lines.push(
        style.gray(`… ${missed} line${missed === 1 ? "" : "s"} from while the terminal was away are no longer kept`),
      );
    }
    for (const entry of fresh) lines.push(formatLogEntry(entry));
    this.#lastSeq = fresh[fresh.length - 1]!.seq;
    this.#view.print(`${lines.join("\r\n")}\r\n`);
  }

  clear(): void {
    this.#view.clearScreen();
  }

  resized(): void {
    this.#view.resized();
  }

  input(data: string): void {
    if (this.#job) {
      if (data.includes("\x03")) this.#cancelJob();
      else this.#queue += data;
      return;
    }
    for (const { key, end } of parseKeyRuns(data)) {
      const result = this.#editor.handle(key);
      switch (result.type) {
        case "blank":
          this.#view.commit();
          break;
        case "cancel":
          this.#view.commit(style.gray("^C"));
          break;
        case "clear-screen":
          this.#view.clearScreen();
          break;
        case "submit":
          // Keys after Enter (a multi-line paste) are typed once this input has run.
          this.#queue = data.slice(end) + this.#queue;
          this.#view.commit();
          void this.#execute(result.text);
          return;
      }
    }
    this.#view.refresh();
  }

  async #execute(text: string): Promise<void> {
    const job = { cancelled: false };
    this.#job = job;
    this.#view.refresh();
    const print = (out: string) => {
      if (!job.cancelled) this.#view.print(out);
    };
    const run: RunSql = async (sql, params, object) => {
      // Values and names come from the app's database, which visitors write: shown, never run.
      const result = visibleStrings(await this.#run(sql, params, object));
      if (job.cancelled) throw new Cancelled();
      return result;
    };
    try {
      if (text.trimStart().startsWith(".")) {
        await runDotCommand(text, {
          run,
          print,
          clear: () => this.#view.clearScreen(),
          cols: this.#term.cols,
          objects: this.#objects,
          object: this.#object,
          setObject: (object) => {
            this.#object = object;
            this.#onObject(object);
          },
        });
      } else {
        for (const statement of splitStatements(text).statements) {
          const result: SqlResult = await run(statement);
          print(formatResult(result, this.#term.cols).join("\r\n"));
          // A Worker project's statement says which object's database answered.
          if (result.object) print(style.gray(`(${result.object})`));
        }
      }
    } catch (error) {
      if (!(error instanceof Cancelled)) print(style.red(`Error: ${visibleControls(messageOf(error))}`));
    }
    if (job.cancelled) return;
    this.#job = null;
    this.#view.refresh();
    this.#drainQueue();
  }

  #cancelJob(): void {
    if (!this.#job) return;
    this.#job.cancelled = true;
    this.#job = null;
    this.#queue = "";
    this.#view.print(style.gray("^C (stopped waiting; the statement may still finish on the server)"));
  }

  #drainQueue(): void {
    const queued = this.#queue;
    this.#queue = "";
    if (queued) this.input(queued);
  }
}

class Cancelled extends Error {}
