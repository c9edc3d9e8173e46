/**
 * fast-check arbitraries for the fuzz suites: any text, secrets (clean and
 * mangled), JSON, base64, Agent Identity JWTs (minted, mutated, made up) and
 * claims, and auth.json documents of every mode; plus `secretLeaves`, the
 * values of a document that may be secrets.
 */
import fc from 'fast-check'
import { mintAgentIdentity } from '../../../dev/backend/identity.js'

/** Any text: ASCII, any Unicode (control characters and lone surrogates included). */
export const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' })
)

export const B64URL = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
]

/** A secret-looking value with a marker, long enough to be looked for. */
export const secretValue = fc
  .tuple(
    fc.constantFrom('sk-proj-', 'at-', 'rt-', 'SECRET-', ''),
    fc.string({
      unit: fc.constantFrom(...B64URL),
      minLength: 12,
      maxLength: 48
    })
  )
  .map(([prefix, body]) => `${prefix}${body}Zz9`)

/** A secret, or a mangled one (quotes, line breaks, control characters). */
export const secretInput = fc.oneof(
  { weight: 4, arbitrary: secretValue },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        secretValue,
        fc.constantFrom('\n', '\r\n', '\t', '\u0000', '"', ' ')
      )
      .map(([s, junk]) => `${s}${junk}${s.slice(0, 4)}`)
  }
)

/** JSON text of arbitrary shape. */
export const jsonText = fc.jsonValue().map((v) => JSON.stringify(v))

export const base64Of = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(text, fc.boolean())
    .map(([t, url]) =>
      Buffer.from(t, 'utf8').toString(url ? 'base64url' : 'base64')
    )

/** Values a field of a document might hold, right type or not. */
const fieldValue = (right: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: right },
    {
      weight: 1,
      arbitrary: fc.constantFrom(null, undefined, '', ' ', 0, true)
    },
    { weight: 1, arbitrary: fc.jsonValue() }
  )

export const now = Date.now()
export const identities = [
  mintAgentIdentity({}, now),
  mintAgentIdentity({ keyFormat: 'pkcs8-v2', accountId: 'ws-fuzz' }, now),
  mintAgentIdentity({ expiresIn: -7200 }, now),
  mintAgentIdentity({ legacy: true }, now),
  mintAgentIdentity({ signingKey: 'untrusted' }, now),
  mintAgentIdentity({ kid: 'unknown-kid' }, now),
  mintAgentIdentity({ header: { alg: 'HS256' } }, now),
  mintAgentIdentity({ claims: { aud: ['codex-app-server'] } }, now),
  mintAgentIdentity({ claims: { account_id: 42 } }, now),
  mintAgentIdentity({ privateKeyText: 'not base64!' }, now)
] satisfies ReturnType<typeof mintAgentIdentity>[]
export const mintedJwt = fc.constantFrom(...identities.map((i) => i.jwt))

/** A JWT with one part replaced, dropped, duplicated or re-encoded. */
export const mutatedJwt = fc
  .tuple(
    mintedJwt,
    fc.nat(2),
    anyText,
    fc.constantFrom('replace', 'drop', 'dup', 'json')
  )
  .map(([jwt, i, text, how]) => {
    const parts = jwt.split('.')
    if (how === 'replace') parts[i] = text
    if (how === 'drop') parts.splice(i, 1)
    if (how === 'dup') parts.splice(i, 0, parts[i] ?? '')
    if (how === 'json') parts[i] = Buffer.from(text).toString('base64url')
    return parts.join('.')
  })

/** An arbitrary three-part token with JSON-ish parts. */
const structuredJwt = fc
  .tuple(fc.jsonValue(), fc.jsonValue(), anyText)
  .map(
    ([h, p, s]) =>
      `${Buffer.from(JSON.stringify(h)).toString('base64url')}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${Buffer.from(s).toString('base64url')}`
  )

export const jwtLike = fc.oneof(mintedJwt, mutatedJwt, structuredJwt, anyText)

/** Agent identity claims with right and wrong types, the key a marked secret. */
export const claims = fc.record(
  {
    iss: fieldValue(
      fc.constant('https://chatgpt.com/codex-backend/agent-identity')
    ),
    aud: fieldValue(fc.constant('codex-app-server')),
    exp: fieldValue(fc.integer()),
    agent_runtime_id: fieldValue(fc.string()),
    agent_private_key: fieldValue(secretValue),
    account_id: fieldValue(fc.string()),
    workspace_id: fieldValue(fc.string()),
    chatgpt_user_id: fieldValue(fc.string()),
    email: fieldValue(fc.string()),
    plan_type: fieldValue(fc.string()),
    chatgpt_account_is_fedramp: fieldValue(fc.boolean()),
    task_id: fieldValue(fc.string()),
    background_task_id: fieldValue(fc.string())
  },
  { requiredKeys: [] }
)

/** An auth.json document of every mode, with right and wrong field types. */
export const authDoc = fc.record(
  {
    auth_mode: fieldValue(
      fc.constantFrom(
        'apikey',
        'chatgpt',
        'agentIdentity',
        'personalAccessToken',
        'chatgptAuthTokens',
        'headers',
        'bedrockApiKey'
      )
    ),
    OPENAI_API_KEY: fieldValue(secretInput),
    personal_access_token: fieldValue(secretInput),
    agent_identity: fc.oneof(fieldValue(jwtLike), claims),
    tokens: fieldValue(
      fc.record(
        {
          id_token: fieldValue(jwtLike),
          access_token: fieldValue(secretInput),
          refresh_token: fieldValue(secretInput),
          account_id: fieldValue(fc.string())
        },
        { requiredKeys: [] }
      )
    ),
    last_refresh: fieldValue(
      fc.oneof(
        fc
          .date()
          .map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
        fc.string()
      )
    )
  },
  { requiredKeys: [] }
)

/** Every string leaf of a document: the values that may be secrets. */
export function secretLeaves(value: unknown): string[] {
  const out: string[] = []
  const visit = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (
        !/^(auth_mode|account_id|workspace_id|email|plan_type|chatgpt_user_id|last_refresh|iss|aud|task_id|background_task_id|agent_runtime_id)$/.test(
          key
        )
      ) {
        out.push(v)
      }
      return
    }
    // Array items inherit the field they sit in.
    if (Array.isArray(v)) for (const child of v) visit(child, key)
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) visit(child, k)
    }
  }
  visit(value, '')
  return out
}
