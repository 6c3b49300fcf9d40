/** How the Metrics view and the status bar write the meter's figures. */

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "–";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  if (n < 10_000) return n.toLocaleString("en-US", { maximumFractionDigits: 1 });
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)} k`;
  return `${(n / 1_000_000).toFixed(n < 100_000_000 ? 1 : 0)} M`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "–";
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(ms % 1 === 0 ? 0 : 1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Dollars with enough digits to show a small amount (a day of a quiet app costs millionths). */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  if (usd >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}
