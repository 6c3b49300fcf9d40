/** One line of workerd's structured output, or the raw line when it is not one. */
export function parseRuntimeLine(line: string): { level: string; message: string };

/** workerd's standard output on a named pipe the launcher reads itself. */
export class RuntimeOutput {
  constructor(onOutput: (text: string) => void, onError: (text: string) => void);
  /** The pipe, or null when none can be made (`log` says why). */
  static open(
    onOutput: (text: string) => void,
    onError: (text: string) => void,
    log: (message: string) => void,
  ): RuntimeOutput | null;
  /** What the runtime's command gets in its environment so that Miniflare starts workerd writing to the pipe. */
  get env(): { MINIFLARE_WORKERD_PATH: string; FACET_IDE_WORKERD_BINARY: string; FACET_IDE_WORKERD_OUTPUT: string };
  /** Reads all the pipe holds now and hands on its complete lines. */
  drain(): void;
  close(): void;
}
