/**
 * The agent keys this browser holds (minted in the Connect an agent dialog). A key opens every
 * project created with it, so the start page lists those projects, and projects created here are
 * created with the newest key, so the agent reaches them too. Kept like the projects' tokens, in the
 * IDE origin's localStorage.
 */
import { z } from "zod";
import { storedList } from "./stored-list";

const HeldKeySchema = z.object({ key: z.string(), createdAt: z.number() });
export type HeldKey = z.infer<typeof HeldKeySchema>;

const stored = storedList("facet-ide:agent-keys", HeldKeySchema);

export const keysStore = {
  list: stored.read,
  /** The key new projects are created with: the newest one. */
  current: (): string | null => stored.read()[0]?.key ?? null,
  add(key: string): void {
    stored.write([{ key, createdAt: Date.now() }, ...stored.read().filter((k) => k.key !== key)]);
  },
};

export const useHeldKeys = (): HeldKey[] => stored.use();
