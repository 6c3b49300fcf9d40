import { formatCount } from "./cell-format";

interface Props {
  /** The page asked for. */
  offset: number;
  /** Where the page on screen starts (it lags `offset` while the next page loads). */
  shownOffset: number;
  limit: number;
  total: number;
  /** The total is a floor: a view counted up to it (shown "100,000+"). */
  totalCapped?: boolean;
  /** Rows on this page. */
  shown: number;
  loading: boolean;
  pageSizes: number[];
  onOffset(offset: number): void;
  onLimit(limit: number): void;
}

/** Where the page is in the table, and the way to other pages. */
export function Pager({
  offset,
  shownOffset,
  limit,
  total,
  totalCapped = false,
  shown,
  loading,
  pageSizes,
  onOffset,
  onLimit,
}: Props) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const current = Math.floor(offset / limit) + 1;
  const go = (page: number) => onOffset((Math.min(Math.max(page, 1), pages) - 1) * limit);
  const step = (label: string, symbol: string, page: number, disabled: boolean) => (
    <button type="button" className="icon-button" aria-label={label} disabled={disabled} onClick={() => go(page)}>
      {symbol}
    </button>
  );
  return (
    <div className="pager" data-testid="pager">
      <span className="pager-range">
        {total === 0 ? (
          "no rows"
        ) : (
          <>
            <span className="pager-wide">rows </span>
            {`${formatCount(shownOffset + 1)}–${formatCount(shownOffset + shown)} of ${formatCount(total)}${totalCapped ? "+" : ""}`}
          </>
        )}
      </span>
      {loading ? <span className="muted small">loading…</span> : null}
      <span className="spacer" />
      {step("First page", "«", 1, current <= 1)}
      {step("Previous page", "‹", current - 1, current <= 1)}
      <label className="pager-page">
        <span className="pager-wide">page</span>
        <input
          key={current}
          aria-label="Page"
          defaultValue={current}
          inputMode="numeric"
          onKeyDown={(event) => {
            if (event.key === "Enter") go(Number(event.currentTarget.value) || 1);
          }}
          onBlur={(event) => go(Number(event.currentTarget.value) || current)}
        />
        of {formatCount(pages)}
        {totalCapped ? "+" : ""}
      </label>
      {step("Next page", "›", current + 1, current >= pages)}
      {step("Last page", "»", pages, current >= pages)}
      <select aria-label="Rows per page" value={limit} onChange={(event) => onLimit(Number(event.target.value))}>
        {pageSizes.map((size) => (
          <option key={size} value={size}>
            {size} rows
          </option>
        ))}
      </select>
    </div>
  );
}
