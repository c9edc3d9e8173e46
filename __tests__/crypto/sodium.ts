/**
 * libsodium, the independent reference the crypto layer is checked against.
 * Its ESM build is broken, so it is loaded through require.
 */
import { createRequire } from 'node:module'
import type * as Sodium from 'libsodium-wrappers'

export type SodiumApi = typeof Sodium

/** Loads libsodium and waits until its WebAssembly is ready. */
export async function loadSodium(): Promise<SodiumApi> {
  const sodium = createRequire(import.meta.url)(
    'libsodium-wrappers'
  ) as SodiumApi
  await sodium.ready
  return sodium
}
