/**
 * A JSON schema for a project's package.json, for Monaco's JSON language (no network: written here,
 * not fetched from SchemaStore): what the IDE reads of it (dependencies by name and version range,
 * docs/packages.md) and the usual fields it keeps without reading. Names follow npm's rules
 * (shared/packages.ts's PACKAGE_NAME); ranges are semver ranges or dist-tags, as the registry resolves
 * them. Git, file and URL dependencies are flagged: packages come from the registry only.
 */
import { PACKAGE_NAME } from "../../shared/packages";

export const PACKAGE_JSON_SCHEMA_URI = "facet-ide://schemas/package.json";

/** A version range the registry can meet: a semver range, `*`, `latest` or another dist-tag. */
export const VERSION_RANGE = "^(?!(npm|file|link|git\\+|git|github|https?|workspace):)[\\w.*^~<>=|\\s+-]*$";

const dependencies = (description: string) => ({
  type: "object",
  description,
  propertyNames: { pattern: PACKAGE_NAME.source, maxLength: 214 },
  additionalProperties: {
    type: "string",
    pattern: VERSION_RANGE,
    patternErrorMessage:
      'a version or range from the registry ("^4.6.0", "~1.2", "latest"); git, file and URL dependencies are not installed',
    defaultSnippets: [{ label: "latest", body: "latest" }],
  },
});

export const PACKAGE_JSON_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "package.json",
  type: "object",
  properties: {
    name: { type: "string", description: "The project's name (not read by the IDE)", maxLength: 214 },
    version: { type: "string", description: "The project's version (not read by the IDE)" },
    private: { type: "boolean" },
    type: { enum: ["module", "commonjs"], description: "Project modules are ES modules either way" },
    dependencies: dependencies(
      "Packages the app imports, by name: installed from the registry on save, and locked per version",
    ),
    devDependencies: dependencies("Bundled too if the server code imports them, with a warning (as wrangler does)"),
    peerDependencies: dependencies("Met by what is locked when they can be; a conflict is a warning"),
    scripts: { type: "object", additionalProperties: { type: "string" }, description: "Never run here" },
  },
};
