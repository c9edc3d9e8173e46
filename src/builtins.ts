/**
 * `require` for node's own modules. Left only for src/clients/http.ts until
 * it moves to @actions/http-client; the bundle turns every builtin import
 * into a `require` anyway, so this file goes with that change.
 */
import { createRequire } from 'node:module'

export const requireBuiltin = createRequire(import.meta.url)
