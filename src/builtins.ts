/**
 * Node's own modules, required rather than imported. An ESM import of a
 * builtin builds its namespace by reading every export, and some exports are
 * getters that load more code: node:fs's stream classes load node:stream
 * (about 3 ms on Node 24), and one export of node:http loads undici (about
 * 35 ms on Node 24). Required, a module is its own object and nothing it
 * loads lazily is touched. That object is also the one a test interceptor
 * (nock) patches.
 */
import { createRequire } from 'node:module'

/** For modules loaded only when needed (node:crypto, node:http). */
export const requireBuiltin = createRequire(import.meta.url)

export const fs = requireBuiltin('node:fs') as typeof import('node:fs')
export const os = requireBuiltin('node:os') as typeof import('node:os')

/** node:crypto, loaded on first use: most runs never hash or sign. */
export function loadCrypto(): typeof import('node:crypto') {
  return requireBuiltin('node:crypto') as typeof import('node:crypto')
}
