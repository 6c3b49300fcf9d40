// Types for bench/app.js, the plain-JS app every scenario runs (also compiled into bench/worker.ts).
import { DurableObject } from "cloudflare:workers";

export declare class App extends DurableObject {
  fetch(request: Request): Response;
}
