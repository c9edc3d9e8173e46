/**
 * Which credential wins: Codex's precedence over inputs, env and auth.json
 * files, and the loading of the winner into a typed `Credential`.
 *
 * Every raw value is masked as soon as it is read, before anything could log
 * it; the log names the winning source and the ignored ones, never values.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { readRegularFile } from '../files/safe-read.js'
import {
  authJsonSecrets,
  credentialFromAuthJson,
  decodeAuthJsonInput,
  parseAuthJson
} from '../credentials/auth-json.js'
import { ActionError, describeError } from '../errors.js'
import type { Settings } from '../inputs.js'
import {
  authJsonInvalid,
  identityConflict,
  NO_CREDENTIAL
} from '../messages/inputs.js'
import { maskSecret, type Runner } from '../runner/port.js'
import type { Credential, CredentialSource } from '../credentials/types.js'

type CandidateKind = 'apikey' | 'token' | 'auth-json-input' | 'auth-json-file'

interface Candidate {
  label: string
  kind: CandidateKind
  value: string
}

/** The result of choosing: the credential and what was ignored. */
export interface Loaded {
  credential: Credential
  ignored: string[]
}

/**
 * Lists the present sources in Codex's precedence order (highest first).
 * The auth.json file is only checked for existence here; it is read only
 * when it wins.
 */
function candidates(settings: Settings, sourceHome: string): Candidate[] {
  const c = settings.credentials
  const list: Candidate[] = []
  const add = (
    label: string,
    kind: CandidateKind,
    value: string | undefined
  ): void => {
    if (value !== undefined) list.push({ label, kind, value })
  }
  add('input api-key', 'apikey', c.apiKeyInput)
  add('env CODEX_API_KEY', 'apikey', c.codexApiKeyEnv)
  add('input access-token', 'token', c.accessTokenInput)
  add('input agent-identity', 'token', c.agentIdentityInput)
  add('env CODEX_ACCESS_TOKEN', 'token', c.codexAccessTokenEnv)
  add('env CODEX_AGENT_IDENTITY', 'token', c.codexAgentIdentityEnv)
  add('input auth-json', 'auth-json-input', c.authJsonInput)
  const file = path.join(sourceHome, 'auth.json')
  if (fs.existsSync(file)) add(file, 'auth-json-file', file)
  add('env OPENAI_API_KEY', 'apikey', c.openaiApiKeyEnv)
  return list
}

/**
 * Masks every raw credential value the runner gave us. A JSON `auth-json`
 * document is not masked as text (line by line it would mask `{` and key
 * names in every log; whole, the mask command itself would carry the
 * tokens): its secret fields are masked one by one once it is parsed.
 */
export function maskRawCredentials(runner: Runner, settings: Settings): void {
  const entries = Object.entries(settings.credentials) as [
    string,
    string | undefined
  ][]
  for (const [name, value] of entries) {
    if (value === undefined) continue
    if (name === 'authJsonInput' && value.startsWith('{')) continue
    maskSecret(runner, value)
  }
  // The runner masks it too; a second mask costs nothing.
  const requestToken = settings.githubOidc?.requestToken
  if (requestToken !== undefined) maskSecret(runner, requestToken)
}

/**
 * Picks the winning credential and loads it. A federation rule id selects
 * workload identity, which outranks every other source, as in Codex (which
 * sends none of them once OPENAI_FEDERATION_RULE_ID is set).
 */
export function loadCredential(
  runner: Runner,
  settings: Settings,
  sourceHome: string
): Loaded {
  if (settings.federationRuleId !== undefined) {
    return loadWorkloadIdentity(runner, settings, sourceHome)
  }
  const c = settings.credentials
  if (
    c.accessTokenInput !== undefined &&
    c.agentIdentityInput !== undefined &&
    c.accessTokenInput !== c.agentIdentityInput
  ) {
    throw new ActionError(identityConflict)
  }
  const present = candidates(settings, sourceHome)
  const winner = present[0]
  if (winner === undefined) throw new ActionError(NO_CREDENTIAL)
  const ignored = present
    .slice(1)
    // The same identity given as both inputs is one source, not a conflict.
    .filter(
      (p) => !(p.label === 'input agent-identity' && p.value === winner.value)
    )
    .map((p) => p.label)

  runner.info(`Using the Codex credential from ${winner.label}.`)
  for (const label of ignored) {
    runner.info(`Ignoring ${label}: ${winner.label} takes precedence.`)
  }
  return { credential: load(runner, winner), ignored }
}

function loadWorkloadIdentity(
  runner: Runner,
  settings: Settings,
  sourceHome: string
): Loaded {
  const label = settings.federationRuleIdFrom ?? 'input federation-rule-id'
  // Every present source is ignored, duplicates and conflicts included:
  // none of them is read, so none of them can fail the step.
  const ignored = [
    ...new Set(candidates(settings, sourceHome).map((p) => p.label))
  ]
  runner.info(`Using workload identity (keyless) from ${label}.`)
  for (const other of ignored) {
    runner.info(`Ignoring ${other}: ${label} takes precedence.`)
  }
  return {
    credential: {
      mode: 'workloadIdentity',
      source: { label },
      federationRuleId: settings.federationRuleId ?? '',
      audience: settings.oidcAudience ?? '',
      ...(settings.workloadIdentityContext === undefined
        ? {}
        : { workloadIdentityContext: settings.workloadIdentityContext })
    },
    ignored
  }
}

function load(runner: Runner, winner: Candidate): Credential {
  const source: CredentialSource = { label: winner.label }
  switch (winner.kind) {
    case 'apikey':
      return { mode: 'apikey', source, apiKey: winner.value }
    case 'token':
      // Codex: a token starting with exactly `at-` is a personal access
      // token; anything else is an Agent Identity JWT.
      if (winner.value.startsWith('at-')) {
        return { mode: 'personalAccessToken', source, token: winner.value }
      }
      return {
        mode: 'agentIdentity',
        source,
        material: { kind: 'jwt', jwt: winner.value }
      }
    case 'auth-json-input': {
      const doc = parseAuthJson(decodeAuthJsonInput(winner.value), winner.label)
      for (const secret of authJsonSecrets(doc)) maskSecret(runner, secret)
      return credentialFromAuthJson(doc, source)
    }
    case 'auth-json-file': {
      let text: string
      try {
        text = readRegularFile(winner.value)
      } catch (err) {
        throw new ActionError(authJsonInvalid(winner.label, describeError(err)))
      }
      source.authFilePath = winner.value
      const doc = parseAuthJson(text, winner.label)
      for (const secret of authJsonSecrets(doc)) maskSecret(runner, secret)
      return credentialFromAuthJson(doc, source)
    }
  }
}
