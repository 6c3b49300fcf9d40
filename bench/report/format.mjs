// What the bench table's rows are, and how their cells are written.
import { round } from "../stats.mjs";

/**
 * @typedef {{ figure: string, ours: string, baseline: string, ratio: number | null,
 *   target: string, pass: boolean | null }} Row
 */

/** A summary's median and p95, in ms. */
export const ms = (s) => `${s.median} ms (p95 ${s.p95})`;
/** a / b to two places, or null without a baseline. */
export const ratioOf = (a, b) => (b ? round(a / b, 2) : null);
