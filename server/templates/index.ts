/**
 * The starter apps a new project can begin with. Each template's files are real files beside this
 * one (server/templates/<name>/), type-checked against the Workers types as the IDE's editor checks a
 * project (tsconfig.templates.json) and linted by Biome, and served as their text: Vite's `?raw`
 * imports (bench/runtime.mjs makes the same for wrangler's bundler). What a project starts with is
 * those files byte for byte, so Biome's formatter leaves them alone (biome.json's override, which
 * also lets their pages' `escape` helper shadow the legacy global of that name).
 */
import type { TemplateInfo } from "../../shared/api";
import chatApp from "./chat/app.ts?raw";
import chatPage from "./chat/page.ts?raw";
import notesApp from "./notes/app.ts?raw";
import remindersApp from "./reminders/app.ts?raw";

/** Starting code for new projects, by name. The first is the default. */
export const templates: Record<string, Record<string, string>> = {
  // The sample app every new project starts with: a guest book on the app's own SQLite database.
  notes: { "app.ts": notesApp },
  // Chat: hibernatable WebSockets, with the history in SQLite.
  chat: { "app.ts": chatApp, "page.ts": chatPage },
  // Reminders: alarms that fire the app's alarm() handler, kept across saves and restarts.
  reminders: { "app.ts": remindersApp },
};

/** What the start page shows for each template. */
export const templateDescriptions: TemplateInfo[] = [
  { name: "notes", title: "Guest book", description: "A page backed by SQLite: forms, persistence, console.log." },
  {
    name: "chat",
    title: "Chat room",
    description: "Hibernatable WebSockets broadcasting to everyone, history in SQLite.",
  },
  {
    name: "reminders",
    title: "Reminders",
    description: "Alarms: reminders fire on time, even across saves and restarts.",
  },
  { name: "blank", title: "Blank", description: "No code yet: start from an empty App class." },
];
