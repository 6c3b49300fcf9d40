/**
 * The Data view's storage.kv pairs: listed, put and deleted by the app's own class, inside its
 * isolate (app-runtime/data/kv.ts), since storage.kv is the facet's. What comes back from there is
 * parsed against the contract before it is answered.
 */
import { type KvDeleteRequest, KvPage, type KvPutRequest, type KvQuery } from "../../../shared/data";
import { KV_METHOD } from "../../app-runtime/protocol";
import { failure, type Outcome, success } from "../../outcome";
import type { Target } from "../app-host/app-stub";
import type { DataHost } from "./data-parts";

export async function kvList(app: DataHost, target: Target, query: KvQuery): Promise<Outcome<KvPage>> {
  const answer = await app.inApp(
    "Data view: storage.kv",
    (app) =>
      app[KV_METHOD]({ op: "list", prefix: query.prefix, startAfter: query.startAfter, limit: query.limit ?? 100 }),
    target,
  );
  // It came from the app's isolate: take only what the contract describes.
  const parsed = KvPage.safeParse(answer);
  return parsed.success ? success(parsed.data) : failure("internal", "The app's storage.kv listing was malformed");
}

export async function kvPut(app: DataHost, target: Target, request: KvPutRequest): Promise<Outcome<KvPage>> {
  await app.inApp(
    "Data view: storage.kv put",
    (app) => app[KV_METHOD]({ op: "put", key: request.key, value: request.value }),
    target,
  );
  return kvList(app, target, { startAfter: undefined, prefix: request.key, limit: 1 });
}

export async function kvDelete(
  app: DataHost,
  target: Target,
  request: KvDeleteRequest,
): Promise<Outcome<{ deleted: number }>> {
  const deleted = await app.inApp(
    "Data view: storage.kv delete",
    (app) => app[KV_METHOD]({ op: "delete", keys: request.keys }),
    target,
  );
  return success({ deleted: typeof deleted === "number" ? deleted : 0 });
}
