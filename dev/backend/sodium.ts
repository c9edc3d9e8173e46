import { createRequire } from 'node:module'
import type * as SodiumModule from 'libsodium-wrappers'

/** The libsodium-wrappers API once its WebAssembly is ready. */
export type Sodium = typeof SodiumModule

let loading: Promise<Sodium> | undefined

/**
 * Loads libsodium through `require`: its ESM build is broken. The backend
 * seals with libsodium on purpose, so the action's own sealed-box code (noble)
 * is checked against an independent implementation.
 */
export function loadSodium(): Promise<Sodium> {
  loading ??= (async (): Promise<Sodium> => {
    const sodium = createRequire(import.meta.url)(
      'libsodium-wrappers'
    ) as Sodium
    await sodium.ready
    return sodium
  })()
  return loading
}

/**
 * `crypto_box_seal` of a task id to the X25519 form of an Ed25519 agent
 * public key, as standard base64 (the `encrypted_task_id` wire form).
 */
export function sealTaskId(
  sodium: Sodium,
  agentPublicKeyRaw: Uint8Array,
  taskId: string
): string {
  const recipient =
    sodium.crypto_sign_ed25519_pk_to_curve25519(agentPublicKeyRaw)
  const sealed = sodium.crypto_box_seal(sodium.from_string(taskId), recipient)
  return Buffer.from(sealed).toString('base64')
}
