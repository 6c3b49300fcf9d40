import { notesTemplate } from "./notes";

/** Starting code for new projects, by name. */
export const templates: Record<string, Record<string, string>> = {
  notes: notesTemplate,
};
