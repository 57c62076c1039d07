/**
 * Stands in for `ajv` and `ajv-formats` in the Worker bundle (wrangler.toml [alias]). The MCP SDK imports Ajv
 * for its default JSON Schema validator, which a server only uses for elicitation; ours never elicits and passes
 * its own validator, so Ajv (about 290 KiB with its dependencies) would be dead weight. Constructing it fails
 * loudly rather than silently skipping validation.
 */
export default class AjvUnavailable {
  constructor() {
    throw new Error('Ajv is not bundled in the Worker; pass a jsonSchemaValidator instead.');
  }
}
