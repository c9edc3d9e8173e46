/**
 * auth.json: decoding the `auth-json` input and Codex's mode resolution.
 */
import { isJsonObject } from './fields.js'
import { ActionError } from '../errors.js'
import {
  AGENT_IDENTITY_AUTH_MISSING,
  API_KEY_AUTH_MISSING_KEY,
  authJsonInvalid,
  PAT_AUTH_MISSING,
  unsupportedAuthMode
} from '../messages.js'
import type { AuthJson, Credential, CredentialSource } from './types.js'

/**
 * Decodes the `auth-json` input: JSON when its first non-blank character is
 * `{`, otherwise base64 (standard or URL-safe) of JSON.
 */
export function decodeAuthJsonInput(raw: string): string {
  const text = raw.trim()
  if (text.startsWith('{')) return text
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    throw new ActionError(
      authJsonInvalid(
        'input auth-json',
        'it is neither JSON (starting with "{") nor base64 of JSON'
      )
    )
  }
  const decoded = Buffer.from(
    compact.replace(/-/g, '+').replace(/_/g, '/'),
    'base64'
  ).toString('utf8')
  if (!decoded.trim().startsWith('{')) {
    throw new ActionError(
      authJsonInvalid(
        'input auth-json',
        'it decodes from base64, but not to a JSON object'
      )
    )
  }
  return decoded
}

/** Parses auth.json text into an object; never echoes the text. */
export function parseAuthJson(text: string, from: string): AuthJson {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // JSON.parse messages quote the input around the error: never show them.
    throw new ActionError(authJsonInvalid(from, 'it is not valid JSON'))
  }
  if (!isJsonObject(value)) {
    throw new ActionError(authJsonInvalid(from, 'it is not a JSON object'))
  }
  return value
}

const nonEmptyString = (v: unknown): v is string =>
  typeof v === 'string' && v.trim() !== ''

/**
 * The secret values an auth.json may hold, wherever they sit, so they can be
 * masked before anything else happens. Non-secret fields (account ids, plan,
 * timestamps) stay readable: a masked output is dropped between jobs.
 */
export function authJsonSecrets(doc: AuthJson): string[] {
  const found: string[] = []
  const take = (v: unknown): void => {
    if (typeof v === 'string' && v.trim() !== '') found.push(v.trim())
  }
  take(doc.OPENAI_API_KEY)
  take(doc.personal_access_token)
  if (typeof doc.agent_identity === 'string') take(doc.agent_identity)
  const record = asObject(doc.agent_identity)
  if (record) take(record['agent_private_key'])
  const tokens = asObject(doc.tokens)
  if (tokens) {
    take(tokens['id_token'])
    take(tokens['access_token'])
    take(tokens['refresh_token'])
  }
  return found
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return isJsonObject(v) ? v : undefined
}

/** Codex's `resolved_mode`: which credential an auth.json holds. */
export function resolveAuthMode(doc: AuthJson): string {
  if (typeof doc.auth_mode === 'string') return doc.auth_mode
  if (doc.personal_access_token !== undefined) return 'personalAccessToken'
  if (doc.OPENAI_API_KEY !== undefined && doc.OPENAI_API_KEY !== null) {
    return 'apikey'
  }
  return 'chatgpt'
}

/** Turns an auth.json into the credential it holds. */
export function credentialFromAuthJson(
  doc: AuthJson,
  source: CredentialSource
): Credential {
  // Codex reads auth_mode into an enum: anything but a string is a parse
  // error there, and its value is not worth quoting here.
  if (
    doc.auth_mode !== undefined &&
    doc.auth_mode !== null &&
    typeof doc.auth_mode !== 'string'
  ) {
    throw new ActionError(
      authJsonInvalid(source.label, 'auth_mode must be a string')
    )
  }
  const mode = resolveAuthMode(doc)
  switch (mode) {
    case 'apikey':
      if (!nonEmptyString(doc.OPENAI_API_KEY)) {
        throw new ActionError(API_KEY_AUTH_MISSING_KEY)
      }
      return { mode: 'apikey', source, apiKey: doc.OPENAI_API_KEY.trim() }
    case 'personalAccessToken':
      if (!nonEmptyString(doc.personal_access_token)) {
        throw new ActionError(PAT_AUTH_MISSING)
      }
      return {
        mode: 'personalAccessToken',
        source,
        token: doc.personal_access_token.trim()
      }
    case 'agentIdentity':
      return identityFromDoc(doc, source)
    case 'chatgpt':
      // Identity-only auth: a chatgpt-mode file with no tokens but an
      // agent identity (seed 000).
      if (
        (doc.tokens === undefined || doc.tokens === null) &&
        doc.agent_identity !== undefined &&
        doc.agent_identity !== null
      ) {
        return identityFromDoc(doc, source)
      }
      return { mode: 'chatgpt', source, doc }
    default:
      throw new ActionError(unsupportedAuthMode(mode, source.label))
  }
}

function identityFromDoc(doc: AuthJson, source: CredentialSource): Credential {
  const material = doc.agent_identity
  if (nonEmptyString(material)) {
    return {
      mode: 'agentIdentity',
      source,
      material: { kind: 'jwt', jwt: material.trim() }
    }
  }
  if (material !== null && typeof material === 'object') {
    return {
      mode: 'agentIdentity',
      source,
      material: { kind: 'record', record: material }
    }
  }
  throw new ActionError(AGENT_IDENTITY_AUTH_MISSING)
}
