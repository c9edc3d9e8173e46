/**
 * The admin policy of the runner machine: Codex's system layer,
 * `/etc/codex/requirements.toml` (constraints) and
 * `/etc/codex/managed_config.toml` (managed values). A workflow can move the
 * Codex home and every input, but not these paths: no input or env var names
 * them, so an org that writes them on its runners gets a policy no workflow
 * can loosen.
 *
 * Codex itself does not stop an API key on `allowed_login_methods` alone
 * (observed on 0.169.0 and 0.171.0); the action enforces the layer itself
 * and primes the effective values as forced settings, which every Codex
 * version enforces.
 */
import * as path from 'node:path'
import { ActionError, describeError } from '../errors.js'
import { readRegularFile } from '../files/safe-read.js'
import type { LoginMethod } from '../inputs.js'
import {
  systemPolicyForbidsEndpoint,
  systemPolicyInvalid
} from '../messages/system-policy.js'

/** Where Codex reads its system layer. Deliberately not configurable. */
export const SYSTEM_CONFIG_DIR = '/etc/codex'

export interface SystemPolicy {
  /** Whether either file sets anything this action enforces. */
  inForce: boolean
  requirementsPath: string
  managedPath: string
  /** requirements.toml `allowed_login_methods`. */
  allowedLoginMethods?: LoginMethod[]
  /** requirements.toml `allowed_chatgpt_workspaces`, trimmed, non-empty. */
  allowedWorkspaces?: string[]
  /** managed_config.toml `forced_login_method`. */
  managedLoginMethod?: LoginMethod
  /** managed_config.toml `forced_chatgpt_workspace_id`. */
  managedWorkspaces?: string[]
  /** managed_config.toml `chatgpt_base_url`, when it pins one. */
  managedChatgptBaseUrl?: string
}

/** A TOML parser: smol-toml's `parse`. */
export type TomlParser = (text: string) => Record<string, unknown>

/**
 * Reads the system layer from `dir` (always {@link SYSTEM_CONFIG_DIR} in the
 * action; tests of this module pass a temporary directory). Missing files
 * are no policy; an unreadable or invalid one fails closed.
 */
export async function readSystemPolicy(
  dir: string = SYSTEM_CONFIG_DIR
): Promise<SystemPolicy> {
  const requirementsPath = path.join(dir, 'requirements.toml')
  const managedPath = path.join(dir, 'managed_config.toml')
  const requirements = readOptional(requirementsPath)
  const managed = readOptional(managedPath)
  // Most runners have no system layer: the TOML parser loads only for one.
  const parse =
    requirements === undefined && managed === undefined
      ? (): Record<string, unknown> => ({})
      : (await import('../files/toml.js')).parseToml
  return parseSystemPolicy(
    { path: requirementsPath, text: requirements },
    { path: managedPath, text: managed },
    parse
  )
}

function readOptional(file: string): string | undefined {
  try {
    return readRegularFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ActionError(systemPolicyInvalid(file, describeError(err)))
  }
}

interface SystemFile {
  path: string
  text: string | undefined
}

/** Parses both files; pure, so it is tested without a file system. */
export function parseSystemPolicy(
  requirements: SystemFile,
  managed: SystemFile,
  parse: TomlParser
): SystemPolicy {
  const policy: SystemPolicy = {
    inForce: false,
    requirementsPath: requirements.path,
    managedPath: managed.path
  }
  if (requirements.text !== undefined) {
    const table = parseTable(requirements, parse)
    const methods = table['allowed_login_methods']
    if (methods !== undefined) {
      policy.allowedLoginMethods = loginMethods(
        methods,
        'allowed_login_methods',
        requirements.path
      )
    }
    const workspaces = table['allowed_chatgpt_workspaces']
    if (workspaces !== undefined) {
      const ids = idList(
        workspaces,
        'allowed_chatgpt_workspaces',
        requirements.path
      )
      // An empty allow list admits no workspace: fail closed, never open.
      policy.allowedWorkspaces = ids
    }
  }
  if (managed.text !== undefined) {
    const table = parseTable(managed, parse)
    const method = table['forced_login_method']
    if (method !== undefined) {
      const [one] = loginMethods([method], 'forced_login_method', managed.path)
      policy.managedLoginMethod = one
    }
    const forced = table['forced_chatgpt_workspace_id']
    if (forced !== undefined) {
      const ids =
        typeof forced === 'string'
          ? idList([forced], 'forced_chatgpt_workspace_id', managed.path)
          : idList(forced, 'forced_chatgpt_workspace_id', managed.path)
      // As in a user's config.toml, an empty forced list means no rule.
      if (ids.length > 0) policy.managedWorkspaces = ids
    }
    const base = table['chatgpt_base_url']
    if (base !== undefined) {
      if (typeof base !== 'string' || base.trim() === '') {
        throw new ActionError(
          systemPolicyInvalid(
            managed.path,
            'chatgpt_base_url must be a non-empty string'
          )
        )
      }
      policy.managedChatgptBaseUrl = base.trim()
    }
  }
  policy.inForce =
    policy.allowedLoginMethods !== undefined ||
    policy.allowedWorkspaces !== undefined ||
    policy.managedLoginMethod !== undefined ||
    policy.managedWorkspaces !== undefined
  return policy
}

function parseTable(
  file: SystemFile,
  parse: TomlParser
): Record<string, unknown> {
  try {
    return parse(file.text ?? '')
  } catch (err) {
    // The parser's message carries a code frame of the file; its first line
    // says what is wrong.
    const first = describeError(err).split('\n')[0] ?? 'parse error'
    throw new ActionError(systemPolicyInvalid(file.path, first))
  }
}

function loginMethods(
  value: unknown,
  key: string,
  file: string
): LoginMethod[] {
  if (
    !Array.isArray(value) ||
    !value.every((v) => v === 'chatgpt' || v === 'api')
  ) {
    throw new ActionError(
      systemPolicyInvalid(file, `${key} must list "chatgpt" and/or "api"`)
    )
  }
  return [...new Set(value as LoginMethod[])]
}

function idList(value: unknown, key: string, file: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ActionError(
      systemPolicyInvalid(file, `${key} must be a list of workspace ids`)
    )
  }
  return value.map((v) => v.trim()).filter((v) => v !== '')
}

/** The endpoint settings a system policy holds fixed. */
export interface EndpointOverrides {
  chatgptBaseUrl?: { url: string; from: string }
  registrationAuthapi?: { url: string; from: string }
  whoamiAuthapi?: { url: string; from: string }
  jwksBase?: { url: string; from: string }
  refreshTokenUrl?: { url: string; from: string }
}

/**
 * Under a system policy, a workflow must not choose the servers that vouch
 * for its credential: a JWKS or whoami of its own would confirm any
 * workspace. Every endpoint override (input, env, or the Codex home's
 * config.toml, which the workflow can also move) is refused, except a
 * ChatGPT base equal to the one the administrator pins.
 *
 * @throws ActionError naming the first override found
 */
export function refuseEndpointOverrides(
  system: SystemPolicy,
  settings: EndpointOverrides,
  config: { chatgptBaseUrl?: string; path: string }
): void {
  if (!system.inForce) return
  const pinned = system.managedChatgptBaseUrl
  const same = (a: string, b: string | undefined): boolean =>
    b !== undefined && trimSlashes(a) === trimSlashes(b)
  const path =
    system.allowedLoginMethods || system.allowedWorkspaces
      ? system.requirementsPath
      : system.managedPath
  const base = settings.chatgptBaseUrl
  if (base && !same(base.url, pinned)) {
    throw new ActionError(systemPolicyForbidsEndpoint(base.from, path))
  }
  if (config.chatgptBaseUrl && !same(config.chatgptBaseUrl, pinned)) {
    throw new ActionError(
      systemPolicyForbidsEndpoint(`chatgpt_base_url in ${config.path}`, path)
    )
  }
  for (const endpoint of [
    settings.jwksBase,
    settings.registrationAuthapi,
    settings.whoamiAuthapi,
    settings.refreshTokenUrl
  ]) {
    if (endpoint) {
      throw new ActionError(systemPolicyForbidsEndpoint(endpoint.from, path))
    }
  }
}

function trimSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '')
}
