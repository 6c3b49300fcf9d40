/** What to show of a thrown value: an Error's message, or the value itself. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
