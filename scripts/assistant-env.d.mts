export const ASSISTANT_VARIABLES: string[];
export function assistantVariables(env?: Record<string, string | undefined>, root?: string): Record<string, string>;
