/**
 * auth.json: decoding the `auth-json` input and Codex's mode resolution.
 */
import * as z from 'zod/mini'
import { ActionError } from '../errors.js'
import {
  AGENT_IDENTITY_AUTH_MISSING,
  API_KEY_AUTH_MISSING_KEY,
  PAT_AUTH_MISSING
} from '../messages/auth-json.js'
import {
  AUTH_JSON_BASE64_NOT_OBJECT,
  AUTH_JSON_NOT_ENCODED,
  AUTH_JSON_NOT_JSON,
  AUTH_JSON_TOO_DEEP,
  AUTH_JSON_NOT_OBJECT,
  AUTH_MODE_NOT_STRING,
  authJsonInvalid,
  unsupportedAuthMode
} from '../messages/inputs.js'
import { capExceeded, check, TOKEN_MAX } from './schema.js'
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
      authJsonInvalid('input auth-json', AUTH_JSON_NOT_ENCODED)
    )
  }
  const decoded = Buffer.from(
    compact.replace(/-/g, '+').replace(/_/g, '/'),
    'base64'
  ).toString('utf8')
  if (!decoded.trim().startsWith('{')) {
    throw new ActionError(
      authJsonInvalid('input auth-json', AUTH_JSON_BASE64_NOT_OBJECT)
    )
  }
  return decoded
}

/**
 * An auth.json document: a JSON object whose `auth_mode`, when set, is a
 * string (Codex reads it into an enum: anything else is a parse error there).
 */
const authJsonSchema = z.looseObject({ auth_mode: z.nullish(z.string()) })

/** Parses auth.json text into an object; never echoes the text. */
export function parseAuthJson(text: string, from: string): AuthJson {
  // Everything after parsing (masking, validation, rendering the primed copy)
  // walks the document recursively; a document nested deeper than any real
  // auth.json would overflow the stack there instead of failing here.
  if (nestingDepth(text) > MAX_AUTH_JSON_DEPTH) {
    throw new ActionError(authJsonInvalid(from, AUTH_JSON_TOO_DEEP))
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // JSON.parse messages quote the input around the error: never show them.
    throw new ActionError(authJsonInvalid(from, AUTH_JSON_NOT_JSON))
  }
  if (!jsonObject.safeParse(value).success) {
    throw new ActionError(authJsonInvalid(from, AUTH_JSON_NOT_OBJECT))
  }
  return value as AuthJson
}

const jsonObject = z.looseObject({})

/** Codex's auth.json is three levels deep; this leaves room for extras. */
const MAX_AUTH_JSON_DEPTH = 32

/** The characters that can change the nesting or end a string. */
const STRUCTURE = /["\\[\]{}]/g

/**
 * The deepest `{`/`[` nesting in JSON text, strings skipped.
 *
 * It visits only quotes, backslashes and brackets, not every character: a
 * ChatGPT auth.json is kilobytes of tokens, and a loop over each of their
 * characters got hot enough for V8 on Node 24 to compile it with its
 * optimizing tiers, on a background thread, in some runs and not others
 * (about 6 MB more peak RSS when it did).
 */
function nestingDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  // After a backslash in a string, the next character is taken as it is.
  let escapedAt = -1
  for (const { 0: c, index: i } of text.matchAll(STRUCTURE)) {
    if (i === escapedAt) continue
    if (inString) {
      if (c === '\\') escapedAt = i + 1
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth)
    else if (c === '}' || c === ']') depth--
  }
  return deepest
}

/**
 * The secret values an auth.json may hold, wherever they sit, so they can be
 * masked before anything else happens. Non-secret fields (account ids, plan,
 * timestamps) stay readable: a masked output is dropped between jobs. Takes
 * any document and never throws: masking comes before validation.
 */
export function authJsonSecrets(doc: AuthJson): string[] {
  const found: string[] = []
  const take = (v: unknown): void => {
    if (typeof v === 'string' && v.trim() !== '') found.push(v.trim())
  }
  take(doc.OPENAI_API_KEY)
  take(doc.personal_access_token)
  take(doc.agent_identity)
  take(field(doc.agent_identity, 'agent_private_key'))
  for (const name of ['id_token', 'access_token', 'refresh_token']) {
    take(field(doc.tokens, name))
  }
  return found
}

/** `value[name]` when `value` is a JSON object. */
function field(value: unknown, name: string): unknown {
  const parsed = jsonObject.safeParse(value)
  return parsed.success ? parsed.data[name] : undefined
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

/** A stored secret: trimmed, not blank, at most 16 KiB. */
const secretText = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(TOKEN_MAX))
const apiKeySchema = z.object({ OPENAI_API_KEY: secretText })
const patSchema = z.object({ personal_access_token: secretText })
const identityJwtSchema = z.object({ agent_identity: secretText })

/**
 * The secret a mode's schema names, or the error: the cap's when the value is
 * too long, else Codex's "missing" text for the mode.
 */
function secretOf<K extends string>(
  schema: z.ZodMiniType<Record<K, string>>,
  key: K,
  doc: AuthJson,
  source: CredentialSource,
  missing: string
): string {
  const result = check(schema, doc)
  if (result.ok) return result.value[key]
  throw new ActionError(capExceeded(result.issues, source.label) ?? missing)
}

/** Turns an auth.json into the credential it holds. */
export function credentialFromAuthJson(
  doc: AuthJson,
  source: CredentialSource
): Credential {
  if (!authJsonSchema.safeParse(doc).success) {
    // The value is not worth quoting.
    throw new ActionError(authJsonInvalid(source.label, AUTH_MODE_NOT_STRING))
  }
  const mode = resolveAuthMode(doc)
  switch (mode) {
    case 'apikey':
      return {
        mode: 'apikey',
        source,
        apiKey: secretOf(
          apiKeySchema,
          'OPENAI_API_KEY',
          doc,
          source,
          API_KEY_AUTH_MISSING_KEY
        )
      }
    case 'personalAccessToken':
      return {
        mode: 'personalAccessToken',
        source,
        token: secretOf(
          patSchema,
          'personal_access_token',
          doc,
          source,
          PAT_AUTH_MISSING
        )
      }
    case 'agentIdentity':
      return identityFromDoc(doc, source)
    case 'chatgpt':
      // Identity-only auth: a chatgpt-mode file with no tokens but an
      // agent identity.
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
  // An object (or an array, refused with its own text) is a stored record,
  // validated by the Agent Identity mode.
  if (material !== null && typeof material === 'object') {
    return {
      mode: 'agentIdentity',
      source,
      material: { kind: 'record', record: material }
    }
  }
  const jwt = secretOf(
    identityJwtSchema,
    'agent_identity',
    doc,
    source,
    AGENT_IDENTITY_AUTH_MISSING
  )
  return { mode: 'agentIdentity', source, material: { kind: 'jwt', jwt } }
}
