/**
 * The browser the browser tests and the bench drive: Debian's Chromium (`apt-get install chromium`;
 * Playwright cannot download its own here), started so this machine's closed network does not keep
 * it busy.
 */
export const chromiumPath = "/usr/bin/chromium";
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
