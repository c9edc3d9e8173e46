/**
 * The action's own version, sent in the User-Agent so backend operators can
 * tell which release made a request, and shown in the job summary.
 * package.json is the one place it is kept: the bundler inlines this import
 * as the version string alone (scripts/package.mjs), so the bundle neither
 * reads package.json at run time nor carries the rest of it.
 */
import packageJson from '../package.json' with { type: 'json' }

/** The version in package.json, e.g. `1.0.0`. */
export const ACTION_VERSION: string = packageJson.version
