/** What the terminal says when its connection changes, so a silent terminal never looks merely idle. */
import type { SocketStatus } from "../lib/project-socket";
import { style } from "./ansi";

export class ConnectionNotes {
  #everOpen = false;
  #down = false;

  /** A line to print for this change of status, or null when nothing worth saying changed. */
  note(status: SocketStatus): string | null {
    switch (status.state) {
      case "connecting":
        return null;
      case "open": {
        const wasDown = this.#down;
        this.#down = false;
        const first = !this.#everOpen;
        this.#everOpen = true;
        if (first) return null;
        return wasDown ? style.green("✔ reconnected; lines missed while away follow") : null;
      }
      case "waiting": {
        const seconds = Math.max(1, Math.round((status.retryAt - Date.now()) / 1000));
        const first = !this.#down;
        this.#down = true;
        if (first) {
          return style.yellow(
            `⚠ ${this.#everOpen ? "lost the connection" : "cannot reach the project"} (${status.reason}); retrying in ${seconds} s`,
          );
        }
        return style.gray(`  still offline; next try in ${seconds} s`);
      }
      case "stopped":
        this.#down = true;
        return style.red(`✖ disconnected: ${status.reason}`);
    }
  }
}
