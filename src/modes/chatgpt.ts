/** Placeholder until this mode lands: fails with a clear message. */
import type { ChatgptCredential, Resolved } from '../credentials/types.js'
import { ActionError } from '../errors.js'
import { notSupportedYet } from '../messages.js'
import type { ModeContext } from './context.js'

export function resolveChatgpt(
  _credential: ChatgptCredential,
  _ctx: ModeContext
): Promise<Resolved> {
  return Promise.reject(
    new ActionError(notSupportedYet('ChatGPT auth.json credentials'))
  )
}
