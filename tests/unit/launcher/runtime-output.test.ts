/**
 * workerd's output on the launcher's own pipe (scripts/runtime-output.mjs): structured lines parsed,
 * warnings and errors apart, lines split across reads kept whole, nothing lost when it is read late.
 */
import { closeSync, constants, openSync, writeSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseRuntimeLine, RuntimeOutput } from "../../../scripts/runtime-output.mjs";

const line = (level: string, message: string) => `${JSON.stringify({ timestamp: 1, level, message })}\n`;

describe("the runtime's output pipe", () => {
  let output: RuntimeOutput | null = null;
  let writer: number | null = null;
  afterEach(() => {
    if (writer !== null) closeSync(writer);
    output?.close();
    writer = null;
    output = null;
  });

  function open() {
    let shown = "";
    let errors = "";
    output = new RuntimeOutput(
      (text: string) => {
        shown += text;
      },
      (text: string) => {
        errors += text;
      },
    );
    writer = openSync(output.env.FACET_IDE_WORKERD_OUTPUT, constants.O_WRONLY);
    return { shown: () => shown, errors: () => errors, write: (text: string) => writeSync(writer as number, text) };
  }

  it("reads structured lines when asked, the messages on one side and warnings and errors on the other", () => {
    const pipe = open();
    pipe.write(line("log", "\u001e[facet-ide] enter tag p p:1 request GET /"));
    pipe.write(line("error", "boom"));
    pipe.write("not json at all\n");
    expect(pipe.shown()).toBe("");
    output?.drain();
    expect(pipe.shown()).toBe("\u001e[facet-ide] enter tag p p:1 request GET /\nnot json at all\n");
    expect(pipe.errors()).toBe("boom\n");
  });

  it("keeps a line split across writes whole, and hands it on only once it is complete", () => {
    const pipe = open();
    const whole = line("log", "one line, é and all");
    const bytes = Buffer.from(whole);
    // Split inside the two bytes of "é".
    const cut = bytes.indexOf(0xc3) + 1;
    writeSync(writer as number, bytes.subarray(0, cut));
    output?.drain();
    expect(pipe.shown()).toBe("");
    writeSync(writer as number, bytes.subarray(cut));
    output?.drain();
    expect(pipe.shown()).toBe("one line, é and all\n");
  });

  it("loses nothing of a burst of lines read at once", () => {
    const pipe = open();
    const many = Array.from({ length: 300 }, (_, i) => line("log", `line ${i} ${"x".repeat(100)}`)).join("");
    pipe.write(many);
    output?.drain();
    expect(pipe.shown().split("\n").filter(Boolean)).toHaveLength(300);
  });

  it("takes a line that is not structured as it came", () => {
    expect(parseRuntimeLine("plain")).toEqual({ level: "log", message: "plain" });
    expect(parseRuntimeLine('{"level":"warn","message":"w"}')).toEqual({ level: "warn", message: "w" });
    expect(parseRuntimeLine("42")).toEqual({ level: "log", message: "42" });
  });
});
