/** Placeholder until this mode lands: fails with a clear message. */
import type { AgentIdentityCredential, Resolved } from '../credentials/types.js'
import { ActionError } from '../errors.js'
import { notSupportedYet } from '../messages.js'
import type { ModeContext } from './context.js'

export function resolveAgentIdentity(
  _credential: AgentIdentityCredential,
  _ctx: ModeContext
): Promise<Resolved> {
  return Promise.reject(
    new ActionError(notSupportedYet('Agent Identity credentials'))
  )
}
