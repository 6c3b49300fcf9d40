// The main module the ObjectsRunner loads (bench/worker.ts): the project's Worker (`./user.js`, the
// scenario's Worker project with its types stripped) given its one namespace, and its Counter class
// exported for the runner's facets. The bench sends the three modules as the runner's code.
import { namespace } from "./namespace.js";
import worker from "./user.js";

export { Counter } from "./user.js";

export default {
  /** @param {Request} request @param {{ BRIDGE: Parameters<typeof namespace>[0] }} env @param {ExecutionContext} ctx */
  fetch(request, env, ctx) {
    return worker.fetch(request, { COUNTERS: namespace(env.BRIDGE) }, ctx);
  },
};
