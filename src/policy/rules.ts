/**
 * Codex's login restrictions: pure functions with Codex's exact messages.
 *
 * Policy comes from the inputs and from config.toml, and both are enforced:
 * an org that pins a workspace in its runner's config must not be bypassed
 * by a workflow input, and vice versa.
 */
import { ActionError } from '../errors.js'
import type { CodexConfig } from '../sources/codex-config.js'
import type { LoginMethod, Settings } from '../inputs.js'
import {
  API_LOGIN_REQUIRED,
  CHATGPT_LOGIN_REQUIRED,
  loginMethodConflict,
  UNVERIFIED_IDENTITY_WORKSPACE,
  workspaceListsDisjoint,
  workspaceMismatch,
  workspaceMissing
} from '../messages.js'

export interface WorkspaceRule {
  ids: string[]
  /** `input forced-workspace-id` or the config.toml path. */
  from: string
}

export interface Policy {
  loginMethod?: LoginMethod
  loginMethodFrom?: string
  /** Every list must contain the credential's workspace. */
  workspaceRules: WorkspaceRule[]
  /** What the primed config.toml enforces: the intersection of all lists. */
  primedWorkspaceIds?: string[]
}

/** Combines input and config policy; throws on contradictions. */
export function resolvePolicy(settings: Settings, config: CodexConfig): Policy {
  const input = settings.forcedLoginMethod
  const fromConfig = config.forcedLoginMethod
  if (input && fromConfig && input !== fromConfig) {
    throw new ActionError(loginMethodConflict(input, fromConfig, config.path))
  }
  const policy: Policy = { workspaceRules: [] }
  if (input) {
    policy.loginMethod = input
    policy.loginMethodFrom = 'input forced-login-method'
  } else if (fromConfig) {
    policy.loginMethod = fromConfig
    policy.loginMethodFrom = config.path
  }

  if (settings.forcedWorkspaceIds) {
    policy.workspaceRules.push({
      ids: settings.forcedWorkspaceIds,
      from: 'input forced-workspace-id'
    })
  }
  if (config.forcedWorkspaceIds) {
    policy.workspaceRules.push({
      ids: config.forcedWorkspaceIds,
      from: config.path
    })
  }
  const [first, second] = policy.workspaceRules
  if (first && second) {
    const common = first.ids.filter((id) => second.ids.includes(id))
    if (common.length === 0) {
      throw new ActionError(
        workspaceListsDisjoint(first.ids, second.ids, config.path)
      )
    }
    policy.primedWorkspaceIds = common
  } else if (first) {
    policy.primedWorkspaceIds = first.ids
  }
  return policy
}

/** Which side of Codex's login split a credential is on. */
export type LoginFamily = 'api' | 'chatgpt'

/**
 * Codex's login-method check. Returns the failure message, or undefined when
 * the credential is allowed.
 */
export function loginMethodViolation(
  policy: Policy,
  family: LoginFamily
): string | undefined {
  if (policy.loginMethod === 'api' && family === 'chatgpt') {
    return API_LOGIN_REQUIRED
  }
  if (policy.loginMethod === 'chatgpt' && family === 'api') {
    return CHATGPT_LOGIN_REQUIRED
  }
  return undefined
}

/**
 * Codex's workspace check for a ChatGPT-family credential. `verified` is
 * false for an agent identity whose signature was not checked: its claims
 * are only what the token says, so they cannot prove membership.
 */
export function workspaceViolation(
  policy: Policy,
  accountId: string | undefined,
  verified = true
): string | undefined {
  for (const rule of policy.workspaceRules) {
    if (!verified) return UNVERIFIED_IDENTITY_WORKSPACE
    if (accountId === undefined || accountId === '') {
      return workspaceMissing(rule.ids)
    }
    if (!rule.ids.includes(accountId)) {
      return workspaceMismatch(rule.ids, accountId)
    }
  }
  return undefined
}
