// The fixture npm registry (tests/fixtures/registry/) on REGISTRY_PORT, for the browser tests: npm
// start gets it as NPM_CONFIG_REGISTRY (playwright.config.ts), so no test reaches the internet.
import { startRegistryServer } from "../fixtures/registry/server.ts";

const { url } = await startRegistryServer(Number(process.env.REGISTRY_PORT));
console.log(`fixture registry on ${url}`);
