/**
 * Codex's login restrictions: pure functions with Codex's exact messages.
 *
 * Policy comes from the inputs, the Codex home's config.toml and the
 * runner's system layer (/etc/codex), and all of them are enforced: a list
 * from one source can only narrow another's, never widen it. Only the system
 * layer is out of a workflow's reach (it can move the Codex home).
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
} from '../messages/restrictions.js'
import {
  loginMethodConflictSystem,
  loginMethodNotAllowed,
  workspaceListFrom,
  workspacePoliciesDisjoint
} from '../messages/system-policy.js'
import type { SystemPolicy } from './system.js'

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
  /**
   * Set when the runner's system layer restricts logins: endpoint overrides
   * are refused and unverifiable credentials cannot satisfy a workspace.
   */
  system?: SystemPolicy
}

/** No system layer: what a runner without /etc/codex has. */
export const NO_SYSTEM_POLICY: SystemPolicy = {
  inForce: false,
  requirementsPath: '/etc/codex/requirements.toml',
  managedPath: '/etc/codex/managed_config.toml'
}

/** Combines input, config and system policy; throws on contradictions. */
export function resolvePolicy(
  settings: Settings,
  config: CodexConfig,
  system: SystemPolicy = NO_SYSTEM_POLICY
): Policy {
  const policy: Policy = { workspaceRules: [] }
  if (system.inForce) policy.system = system
  resolveLoginMethod(policy, settings, config, system)

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
  if (system.managedWorkspaces) {
    policy.workspaceRules.push({
      ids: system.managedWorkspaces,
      from: system.managedPath
    })
  }
  // An allow list, even an empty one, is a rule: with no forced list it
  // becomes the forced one, and an empty one admits nobody.
  if (system.allowedWorkspaces) {
    policy.workspaceRules.push({
      ids: system.allowedWorkspaces,
      from: system.requirementsPath
    })
  }
  const rules = policy.workspaceRules
  if (rules.length > 0) {
    const common = rules
      .slice(1)
      .reduce(
        (acc, rule) => acc.filter((id) => rule.ids.includes(id)),
        rules[0]!.ids
      )
    if (common.length === 0) {
      const [first, second] = rules
      throw new ActionError(
        rules.length === 2 &&
          first!.from === 'input forced-workspace-id' &&
          second!.from === config.path
          ? workspaceListsDisjoint(first!.ids, second!.ids, config.path)
          : workspacePoliciesDisjoint(
              rules.map((r) => workspaceListFrom(r.ids, r.from))
            )
      )
    }
    policy.primedWorkspaceIds = common
  }
  return policy
}

/**
 * The one forced login method: input, config.toml and the managed config
 * must agree, and the result must be one the requirements allow. With no
 * forced method, a single allowed one becomes forced, so the primed config
 * makes a later Codex enforce it too.
 */
function resolveLoginMethod(
  policy: Policy,
  settings: Settings,
  config: CodexConfig,
  system: SystemPolicy
): void {
  const input = settings.forcedLoginMethod
  const fromConfig = config.forcedLoginMethod
  if (input && fromConfig && input !== fromConfig) {
    throw new ActionError(loginMethodConflict(input, fromConfig, config.path))
  }
  if (input) {
    policy.loginMethod = input
    policy.loginMethodFrom = 'input forced-login-method'
  } else if (fromConfig) {
    policy.loginMethod = fromConfig
    policy.loginMethodFrom = config.path
  }
  const managed = system.managedLoginMethod
  if (managed) {
    if (policy.loginMethod && policy.loginMethod !== managed) {
      throw new ActionError(
        loginMethodConflictSystem(
          policy.loginMethod,
          policy.loginMethodFrom ?? '',
          managed,
          system.managedPath
        )
      )
    }
    policy.loginMethod = managed
    policy.loginMethodFrom = system.managedPath
  }
  const allowed = system.allowedLoginMethods
  if (!allowed) return
  if (policy.loginMethod) {
    if (!allowed.includes(policy.loginMethod)) {
      throw new ActionError(
        loginMethodNotAllowed(
          policy.loginMethod,
          policy.loginMethodFrom ?? '',
          allowed,
          system.requirementsPath
        )
      )
    }
    return
  }
  if (allowed.length === 0) {
    throw new ActionError(
      loginMethodNotAllowed('', '', allowed, system.requirementsPath)
    )
  }
  if (allowed.length === 1) {
    policy.loginMethod = allowed[0]
    policy.loginMethodFrom = system.requirementsPath
  }
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
