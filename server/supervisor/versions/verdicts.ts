/**
 * The launcher's verdicts on this project: after the runtime froze or crashed, the launcher names the
 * code that was running (its last activity marker) and the restarted runtime hands the verdict here,
 * before this supervisor serves anything (server/launcher.ts says how, and why that order).
 *
 * Only the code that was running is blamed, whatever started it: when it is the live version, that
 * version is marked hung, so it does not run again (no crash loop, no replay) until the owner saves
 * (any code, the same code too). A statement from the SQL console (or the Data view) is the owner's,
 * not the app's: no version is marked. Code that is not the live version (a save's probe, new code
 * starting) is reported to the owner; there is no version to mark. The draft's code marks the draft.
 *
 * Every verdict on the project also starts a cooldown (cooldowns.ts): after its code froze the
 * runtime its saves are refused for a while, after its console's statement did, its console and Data
 * view queries are, so that one project cannot freeze the runtime again at once.
 *
 * A verdict is recorded once, by its ID, even when the runtime restarts before the launcher heard of
 * it: the IDs are kept in this supervisor's own table (made on first use, so never where no launcher
 * runs), with the lines the launcher prints.
 */
import { DRAFT_MARK, describeActivity, printable, type Verdict } from "../../../shared/launcher-contract.mjs";
import type { LogEntry, NewLogEntry } from "../../../shared/logs";
import { launcherDesk, pendingVerdicts, reportApplied } from "../../launcher";
import { DRAFT_HANG_VERSION } from "../time-travel/draft-row";
import { type CooldownKind, Cooldowns, cooldownMessage } from "./cooldowns";
import type { SupervisorStore } from "./store";

/** What a verdict is judged by: the supervisor's own records as they are when it arrives. */
export interface VerdictFacts {
  /** The project, or null when this supervisor has none (no project by the verdict's name). */
  project: { id: string; currentVersion: number | null } | null;
  /** The live version and its code. */
  current: { version: number; codeId: string } | null;
  /** The draft and its code, if there is one. */
  draft: { revision: number; codeId: string } | null;
  /** The newest version that runs `codeId`, or null for code never deployed. */
  newestVersionOf: (codeId: string) => number | null;
}

export interface Judgement {
  /** The version to mark hung (DRAFT_HANG_VERSION for the draft), and what its refusals say. */
  mark: { version: number; detail: string } | null;
  /** A system error line for the owner's terminal, if the project is there. */
  message: string | null;
  /** What the launcher prints in the terminal that runs the server. */
  lines: string[];
  /** What the project is refused for a while (cooldowns.ts), or null when the verdict is on no project of ours. */
  cooldown: CooldownKind | null;
}

/** Judges `verdict` against this project's records: what to mark, and what to tell whom. Pure. */
export function judgeVerdict(verdict: Verdict, facts: VerdictFacts): Judgement {
  const { how, at } = verdict;
  const { project } = facts;
  if (!project || project.id !== verdict.projectId) {
    return {
      mark: null,
      message: null,
      lines: [`could not find project ${printable(verdict.projectId)}, whose code ${how} the runtime`],
      cooldown: null,
    };
  }
  const name = printable(project.id);
  const where = printable(describeActivity(verdict));
  const verb = how === "crashed" ? "crashed the runtime (out of memory?)" : "froze the runtime";
  const detail = `${where.replace(/^on /, "")}, ${new Date(at).toISOString()}`;

  if (verdict.what === "console") {
    const message = `The SQL console's statement ${verb}; the runtime was restarted. The app's code did not do it, so it keeps running.`;
    return {
      mark: null,
      message: `${message} (${where})`,
      lines: [`project ${name}: ${verb} ${where}; its SQL console is blamed, no version was marked`],
      cooldown: "sql",
    };
  }
  if (verdict.codeId.endsWith(DRAFT_MARK)) {
    // The draft runs on a copy of the live data, in its own isolate; its hangs are marked as version 0.
    const draft = facts.draft;
    if (!draft || draft.codeId !== verdict.codeId.slice(0, -DRAFT_MARK.length)) {
      return {
        mark: null,
        message: `Code no longer in the draft ${verb} ${where}; the runtime was restarted.`,
        lines: [`project ${name}: an old draft ${verb} ${where}; nothing was marked`],
        cooldown: "code",
      };
    }
    return {
      mark: { version: DRAFT_HANG_VERSION, detail },
      message: `The draft (r${draft.revision}) ${verb} ${where}; the runtime was restarted and the draft will not run again until code is saved to it.`,
      lines: [
        `project ${name}: the draft r${draft.revision} ${verb} ${where}; it will not run again until code is saved to it`,
      ],
      cooldown: "code",
    };
  }
  const current = facts.current;
  if (!current || current.codeId !== verdict.codeId) {
    const known = facts.newestVersionOf(verdict.codeId);
    const which = known ? `v${known}, which is not the live version,` : "code being saved";
    return {
      mark: null,
      message: `The ${which} ${verb} ${where}; the runtime was restarted${known ? "" : " and that code was not deployed"}.`,
      lines: [`project ${name}: ${which} ${verb} ${where}; no version was marked`],
      cooldown: "code",
    };
  }
  const version = current.version;
  return {
    mark: { version, detail },
    message: `v${version} ${verb} ${where}; the runtime was restarted and v${version} will not run again. Save any code (the same code too) to run it again.`,
    lines: [`project ${name}: v${version} ${verb} ${where}; it will not run again until code is saved`],
    cooldown: "code",
  };
}

/** The verdicts recorded here (made on first use: only a runtime under the launcher ever has one). */
const VERDICTS_TABLE = `CREATE TABLE IF NOT EXISTS launcher_verdicts (
  id TEXT PRIMARY KEY,
  recorded_at INTEGER NOT NULL,
  -- What the launcher prints (JSON array), sent again if the launcher did not hear it the first time.
  lines TEXT NOT NULL
)`;

export class LauncherVerdicts {
  #sql: SqlStorage;
  #env: Env;
  #store: SupervisorStore;
  #draft: () => { revision: number; codeId: string } | null;
  #record: (entries: NewLogEntry[]) => LogEntry[];
  #flushLogs: () => void;
  #cooldowns: Cooldowns;
  /** Set once this supervisor's project has had its verdicts recorded (they are only made while no runtime runs). */
  #settled = false;

  constructor(
    sql: SqlStorage,
    env: Env,
    parts: {
      store: SupervisorStore;
      draft: () => { revision: number; codeId: string } | null;
      record: (entries: NewLogEntry[]) => LogEntry[];
      flushLogs: () => void;
      /** The supervisor's cooldowns (shared with its saves and SQL console), or its own. */
      cooldowns?: Cooldowns;
    },
  ) {
    this.#sql = sql;
    this.#env = env;
    this.#store = parts.store;
    this.#draft = parts.draft;
    this.#record = parts.record;
    this.#flushLogs = parts.flushLogs;
    this.#cooldowns = parts.cooldowns ?? new Cooldowns(sql);
  }

  /** Whether there is a launcher to ask (never deployed). */
  get active(): boolean {
    return launcherDesk(this.#env) !== null;
  }

  /**
   * Asks the launcher for the verdicts on `projectId` (this supervisor's project, or the name the
   * worker reached it by when it has none) and records each once. Run inside `blockConcurrencyWhile`,
   * so nothing else runs meanwhile. Throws when the launcher does not answer: then the object is
   * reset and serves nothing, rather than run code that may be blamed.
   */
  async settle(projectId: string | null): Promise<void> {
    const desk = launcherDesk(this.#env);
    if (!desk || projectId === null || this.#settled) return;
    const verdicts = await pendingVerdicts(desk, projectId);
    for (const verdict of verdicts) await reportApplied(desk, verdict.id, this.#recordOnce(verdict));
    if (this.#store.project) this.#settled = true;
  }

  /**
   * Records `verdict` unless it already was, and returns the launcher's lines. Every write is made
   * without an `await` in between, so they commit together, and the runtime holds the report to the
   * launcher back until they have (its output gate).
   */
  #recordOnce(verdict: Verdict): string[] {
    const project = this.#store.project;
    if (project) {
      this.#sql.exec(VERDICTS_TABLE);
      const done = this.#sql.exec<{ lines: string }>("SELECT lines FROM launcher_verdicts WHERE id = ?", verdict.id);
      for (const row of done) return JSON.parse(row.lines) as string[];
    }
    const current = this.#store.currentVersion();
    const judged = judgeVerdict(verdict, {
      project,
      current,
      draft: this.#draft(),
      newestVersionOf: (codeId) => this.#store.versionOfCode(codeId),
    });
    if (!project) return judged.lines;
    if (judged.mark) this.#store.markHung(judged.mark.version, judged.mark.detail);
    let lines = judged.lines;
    let message = judged.message;
    if (judged.cooldown) {
      const cooldown = this.#cooldowns.strike(judged.cooldown, verdict.at);
      const refused = cooldownMessage(judged.cooldown, cooldown, verdict.at);
      lines = [...lines, `project ${printable(project.id)}: ${refused}`];
      message = message ? `${message} ${refused}` : refused;
    }
    if (message) {
      this.#record([{ kind: "system", level: "error", at: verdict.at, version: project.currentVersion, message }]);
      this.#flushLogs();
    }
    this.#sql.exec(
      "INSERT INTO launcher_verdicts (id, recorded_at, lines) VALUES (?, ?, ?)",
      verdict.id,
      Date.now(),
      JSON.stringify(lines),
    );
    return lines;
  }
}
