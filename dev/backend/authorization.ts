import { verifyAssertion, type AssertionCheck } from './assertion.js'
import type { BackendState } from './state.js'

/** What an `Authorization` header value is, as far as this backend knows. */
export type AuthorizationDescription =
  | { kind: 'none' }
  | { kind: 'agentAssertion'; check: AssertionCheck }
  /** A ChatGPT access token this backend issued; `current` false once refreshed. */
  | { kind: 'chatgptAccessToken'; accountId: string; current: boolean }
  | { kind: 'personalAccessToken'; accountId: string; known: boolean }
  /** An access token a workload identity exchange issued here. */
  | {
      kind: 'workloadAccessToken'
      accountId: string
      ruleId: string
      expired: boolean
    }
  /** Any other bearer token (API keys are not validated). */
  | { kind: 'bearer'; token: string }
  | { kind: 'other'; value: string }

/**
 * Classifies the Authorization header of a logged request, so a test can
 * assert "Codex sent the refreshed token" or "a valid assertion" in one line.
 */
export function describeAuthorization(
  value: string | undefined,
  state: BackendState
): AuthorizationDescription {
  if (value === undefined || value === '') return { kind: 'none' }
  if (value.startsWith('AgentAssertion ')) {
    return {
      kind: 'agentAssertion',
      check: verifyAssertion(value, state.agents, state.now())
    }
  }
  if (!value.startsWith('Bearer ')) return { kind: 'other', value }
  const token = value.slice('Bearer '.length)
  const owner = state.chatgpt.accessTokenOwner(token)
  if (owner) return { kind: 'chatgptAccessToken', ...owner }
  const workload = state.federation.lookup(token)
  if (workload) {
    return {
      kind: 'workloadAccessToken',
      accountId: workload.accountId,
      ruleId: workload.ruleId,
      expired: workload.expiresAt <= Math.floor(state.now() / 1000)
    }
  }
  if (token.startsWith('at-')) {
    const pat = state.pats.lookup(token)
    return pat
      ? { kind: 'personalAccessToken', accountId: pat.accountId, known: true }
      : { kind: 'personalAccessToken', accountId: '', known: false }
  }
  return { kind: 'bearer', token }
}
