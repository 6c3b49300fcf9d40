/**
 * After a freeze blamed on a project, what it did is refused for a while (server/supervisor/versions/
 * cooldowns.ts): 1 minute, doubling with each freeze in a row, at most 10 minutes, forgotten after an
 * hour of quiet. The table and the refusals are tested in tests/worker/verdicts.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  COOLDOWN_FIRST_MS,
  COOLDOWN_MAX_MS,
  cooldownMessage,
  cooldownMs,
  nextCooldown,
  STRIKES_FORGOTTEN_AFTER_MS,
} from "../../../../server/supervisor/versions/cooldowns";

describe("cooldowns after a freeze", () => {
  it("starts at a minute, doubles with each freeze in a row, and stops at 10 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 50, 1e9].map(cooldownMs)).toEqual([
      60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000, 600_000,
    ]);
    expect(COOLDOWN_FIRST_MS).toBe(60_000);
    expect(COOLDOWN_MAX_MS).toBe(600_000);
    expect(cooldownMs(0)).toBe(60_000);
  });

  it("counts a freeze soon after the last cooldown as a repeat, and forgets after an hour of quiet", () => {
    const first = nextCooldown(null, 1_000_000);
    expect(first).toEqual({ strikes: 1, until: 1_060_000 });
    const second = nextCooldown(first, first.until + 5_000);
    expect(second).toEqual({ strikes: 2, until: first.until + 5_000 + 120_000 });
    const later = nextCooldown(second, second.until + STRIKES_FORGOTTEN_AFTER_MS + 1);
    expect(later.strikes).toBe(1);
    // A verdict recorded late (its freeze earlier) never shortens a cooldown still running.
    const late = nextCooldown({ strikes: 5, until: 10_000_000 }, 1_000_000);
    expect(late).toEqual({ strikes: 6, until: 10_000_000 });
  });

  it("says what is refused, why, and when it is allowed again", () => {
    const at = Date.UTC(2026, 0, 1, 12, 0, 0);
    const code = cooldownMessage("code", { strikes: 1, until: at + 30_000 }, at);
    expect(code).toContain("Saving code");
    expect(code).toContain("until 2026-01-01T12:00:30.000Z (in 30 s)");
    expect(code).toContain("its code froze the runtime,");
    const sql = cooldownMessage("sql", { strikes: 3, until: at + 120_000 }, at + 1);
    expect(sql).toContain("The SQL console and the Data view");
    expect(sql).toContain("(in 120 s)");
    expect(sql).toContain("(3 times in a row)");
    // Whichever way it froze the runtime, every way is refused: the message says what did it.
    const crossed = cooldownMessage("sql", { strikes: 1, until: at + 60_000 }, at, "code");
    expect(crossed).toContain("The SQL console and the Data view are refused");
    expect(crossed).toContain("its code froze the runtime");
  });
});
