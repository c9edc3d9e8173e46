/**
 * Dispatches a loaded credential to its mode. Modes that need the network or
 * heavy crypto are imported only when used, so an API-key run never parses
 * them (start-up time is multiplied by every job that uses the action).
 */
import type { Credential, Resolved } from '../credentials/types.js'
import { resolveApiKey } from './api-key.js'
import type { ModeContext } from './context.js'

/** Restricts, hydrates and resolves a credential. */
export async function resolveCredential(
  credential: Credential,
  ctx: ModeContext
): Promise<Resolved> {
  switch (credential.mode) {
    case 'apikey':
      return resolveApiKey(credential, ctx)
    case 'agentIdentity': {
      const mode = await import('./agent-identity.js')
      return mode.resolveAgentIdentity(credential, ctx)
    }
    case 'personalAccessToken': {
      const mode = await import('./pat.js')
      return mode.resolvePat(credential, ctx)
    }
    case 'chatgpt': {
      const mode = await import('./chatgpt.js')
      return mode.resolveChatgpt(credential, ctx)
    }
    case 'workloadIdentity': {
      const mode = await import('./workload-identity.js')
      return mode.resolveWorkloadIdentity(credential, ctx)
    }
  }
}
