// The app a project runs before its first save, so the SQL console has a database to open
// (supervisor/app-host/loader.ts compiles and loads it as it would the project's own code).
import { DurableObject } from "cloudflare:workers";
export class App extends DurableObject {}
