/**
 * Marks the version whose request froze the runtime as hung, in the supervisors' SQLite files under
 * `dataDir`; returns what the launcher prints.
 */
export function markHungRequests(dataDir: string, options?: { detectedAt?: number; windowMs?: number }): string[];
