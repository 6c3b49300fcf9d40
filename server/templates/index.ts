import type { TemplateInfo } from "../../shared/api";
import { chatTemplate } from "./chat";
import { notesTemplate } from "./notes";
import { remindersTemplate } from "./reminders";

/** Starting code for new projects, by name. The first is the default. */
export const templates: Record<string, Record<string, string>> = {
  notes: notesTemplate,
  chat: chatTemplate,
  reminders: remindersTemplate,
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
