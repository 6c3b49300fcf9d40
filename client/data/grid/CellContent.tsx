import type { CellValue } from "../../../shared/data";
import { displayOf, formatBytes, formatCount } from "./cell-format";

/** A value as the grid shows it: NULL, BLOBs and cut text marked for what they are. */
export function CellContent({ value }: { value: CellValue }) {
  const shown = displayOf(value);
  switch (shown.kind) {
    case "null":
      return <span className="cell-null">NULL</span>;
    case "number":
      return <span className="cell-number">{shown.text}</span>;
    case "text":
      return <span className="cell-text">{oneLine(shown.text)}</span>;
    case "long":
      return (
        <>
          <span className="cell-tag" title="Longer text: double-click to see and edit all of it">
            {formatCount(shown.length)} chars
          </span>
          <span className="cell-text">{oneLine(shown.text.slice(0, 300))}</span>
        </>
      );
    case "blob":
      return (
        <>
          <span className="cell-tag" title="A BLOB: its size and first bytes in hex">
            BLOB {formatBytes(shown.bytes)}
          </span>
          <span className="cell-hex">{shown.text}</span>
        </>
      );
  }
}

/** Line breaks shown as ↵, so a row stays one line high and the break stays visible. */
const oneLine = (text: string) => text.replace(/\r?\n/g, " ↵ ");
