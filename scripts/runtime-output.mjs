/**
 * workerd's standard output under `npm start`, read by the launcher itself from a named pipe instead
 * of through Miniflare's Node process. Every app request prints two activity markers
 * (activity-markers.mjs); through Miniflare each was a wake-up of its Node process to read it, parse
 * it and write it on, then of the launcher to read it again (bench/README.md has what that cost).
 * Here workerd writes into a pipe nobody waits on, and the launcher reads whatever it holds every
 * READ_EVERY_MS, and at once before it judges whose code was running (`drain`), when every line the
 * runtime wrote before it froze or died is in the pipe. The runtime writes console output
 * synchronously, so its order is kept.
 *
 * Miniflare starts workerd through `workerd-output.sh` (MINIFLARE_WORKERD_PATH), which runs the real
 * binary with its standard output on the pipe; its standard error, and Miniflare's own messages (the
 * crash reports among them), still come through Miniflare.
 */
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath } from "node:url";

const READ_EVERY_MS = 50;
const CHUNK_BYTES = 64 * 1024;
const WRAPPER = join(dirname(fileURLToPath(import.meta.url)), "workerd-output.sh");

/** The workerd binary Miniflare would run (its own dependency), unless the environment names one. */
function workerdBinary() {
  if (process.env.MINIFLARE_WORKERD_PATH) return process.env.MINIFLARE_WORKERD_PATH;
  const fromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
  const found = fromMiniflare("workerd");
  return typeof found === "string" ? found : found.default;
}

/**
 * One structured log line as workerd writes it (`{"timestamp", "level", "message"}`, Miniflare turns
 * structured logging on), or the raw line when it is not one.
 * @returns {{ level: string, message: string }}
 */
export function parseRuntimeLine(line) {
  try {
    const parsed = JSON.parse(line);
    if (parsed !== null && typeof parsed === "object" && typeof parsed.message === "string") {
      return { level: typeof parsed.level === "string" ? parsed.level : "log", message: parsed.message };
    }
  } catch {
    // Not structured: shown as it came.
  }
  return { level: "log", message: line };
}

export class RuntimeOutput {
  #dir;
  #path;
  #fd;
  #decoder = new StringDecoder("utf8");
  #partial = "";
  #buffer = Buffer.alloc(CHUNK_BYTES);
  #timer = null;
  #onOutput;
  #onError;

  /**
   * Makes the pipe and opens its reading end (before workerd opens the other, which would otherwise wait).
   * @param {(text: string) => void} onOutput complete lines of what workerd logged (its messages, one a line)
   * @param {(text: string) => void} onError lines it logged as warnings or errors
   */
  constructor(onOutput, onError) {
    this.#dir = mkdtempSync(join(tmpdir(), "facet-ide-runtime-"));
    this.#path = join(this.#dir, "stdout");
    execFileSync("mkfifo", ["-m", "600", this.#path]);
    this.#fd = openSync(this.#path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.#onOutput = onOutput;
    this.#onError = onError;
    this.#timer = setInterval(() => this.drain(), READ_EVERY_MS);
    this.#timer.unref();
  }

  /** The pipe, or null when none can be made (`log` says why; workerd's output then comes through Miniflare). */
  static open(onOutput, onError, log) {
    try {
      return new RuntimeOutput(onOutput, onError);
    } catch (error) {
      log(`workerd's output is read through Miniflare (no pipe of the launcher's own: ${error.message})`);
      return null;
    }
  }

  /** What the runtime's command gets in its environment so that Miniflare starts workerd writing here. */
  get env() {
    return {
      MINIFLARE_WORKERD_PATH: WRAPPER,
      FACET_IDE_WORKERD_BINARY: workerdBinary(),
      FACET_IDE_WORKERD_OUTPUT: this.#path,
    };
  }

  /** Reads all the pipe holds now and hands on its complete lines. */
  drain() {
    let text = "";
    let bytes = 0;
    for (;;) {
      let read = 0;
      try {
        read = readSync(this.#fd, this.#buffer, 0, CHUNK_BYTES, null);
      } catch (error) {
        if (error.code === "EAGAIN") break;
        throw error;
      }
      // No writer (workerd not started yet, or gone): nothing more now.
      if (read === 0) break;
      bytes += read;
      text += this.#decoder.write(this.#buffer.subarray(0, read));
    }
    // A pipe that filled since the last read may have a writer waiting on it: look again soon.
    if (bytes >= CHUNK_BYTES) setImmediate(() => this.drain());
    if (!text) return;
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop() ?? "";
    let out = "";
    let errors = "";
    for (const line of lines) {
      if (!line) continue;
      const { level, message } = parseRuntimeLine(line);
      if (level === "error" || level === "warn") errors += `${message}\n`;
      else out += `${message}\n`;
    }
    if (out) this.#onOutput(out);
    if (errors) this.#onError(errors);
  }

  close() {
    clearInterval(this.#timer ?? undefined);
    this.drain();
    closeSync(this.#fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
