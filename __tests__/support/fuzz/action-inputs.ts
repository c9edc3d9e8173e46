/**
 * Arbitraries for the action's inputs and environment, as a workflow might
 * set them (each absent more often than not), and the credential values
 * among them that no message may show.
 */
import fc from 'fast-check'
import {
  anyText,
  authDoc,
  base64Of,
  jwtLike,
  secretInput
} from './arbitraries.js'

const INPUT_NAMES = [
  'api-key',
  'access-token',
  'agent-identity',
  'auth-json',
  'codex-home',
  'forced-login-method',
  'forced-workspace-id',
  'chatgpt-base-url',
  'authapi-base-url',
  'jwks-base-url',
  'refresh-token-url',
  'verify-identity',
  'register-task',
  'export-env',
  'cleanup',
  'federation-rule-id',
  'oidc-audience',
  'workload-identity-context',
  'identity-token-file-mode'
] as const

/**
 * A rule id selects workload identity over every other credential: set
 * rarely, so the other modes are still walked most of the time.
 */
const RARE = new Set(['federation-rule-id', 'OPENAI_FEDERATION_RULE_ID'])

/** How often a name is absent, against 1 for present. */
const absentWeight = (name: string): number =>
  SECRET_INPUTS.has(name) ? 1 : RARE.has(name) ? 8 : 3

const SECRET_INPUTS = new Set(['api-key', 'access-token', 'agent-identity'])

/** Mostly a valid value, sometimes junk: every branch of the pipeline is walked. */
const mostly = <T>(
  valid: fc.Arbitrary<T>,
  junk: fc.Arbitrary<T>
): fc.Arbitrary<T> =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: junk })

const ruleId = mostly(
  fc.constantFrom('idpm_fuzz0123456789', ' idpm_fuzz ', 'idpm_'),
  anyText
)

export const urlish = mostly(
  fc.constantFrom(
    'https://chatgpt.com/backend-api/',
    'https://chatgpt.com/backend-api',
    'https://auth.openai.com/api/accounts',
    'http://127.0.0.1:1/backend-api',
    'http://example.com/x'
  ),
  fc.oneof(
    fc.constantFrom(
      'https://h/p?q=1',
      'ftp://x',
      'https://u:p@h/',
      'not a url',
      ''
    ),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    anyText
  )
)

const inputValue = (name: string): fc.Arbitrary<string> => {
  if (SECRET_INPUTS.has(name)) return fc.oneof(secretInput, jwtLike)
  if (name === 'auth-json') {
    return fc.oneof(
      authDoc.map((d) => JSON.stringify(d)),
      authDoc.map((d) => JSON.stringify(d, null, 2)),
      base64Of(authDoc.map((d) => JSON.stringify(d))),
      base64Of(anyText),
      anyText
    )
  }
  if (name.endsWith('-url')) return urlish
  if (name === 'forced-login-method') {
    return mostly(fc.constantFrom('chatgpt', 'api', ' api '), anyText)
  }
  if (name === 'forced-workspace-id') {
    return mostly(
      fc.constantFrom('ws-fuzz', 'a, ws-fuzz', 'b\nc', ',,'),
      anyText
    )
  }
  if (name === 'codex-home') return fc.constantFrom('', '~', '~/x', 'rel/dir')
  if (name === 'federation-rule-id') return ruleId
  if (name === 'oidc-audience') {
    return mostly(
      fc.constantFrom('https://example.test/aud', 'api://x y', ''),
      anyText
    )
  }
  if (name === 'workload-identity-context') {
    return mostly(fc.constantFrom('ctx', 'a b&c=d%', ''), anyText)
  }
  if (name === 'identity-token-file-mode') {
    return mostly(fc.constantFrom('fifo', 'file', 'FILE', ' fifo '), anyText)
  }
  return mostly(
    fc.constantFrom('true', 'false', 'False', 'TRUE'),
    fc.oneof(fc.constantFrom('yes', '1', 'on'), anyText)
  )
}

/** Inputs, each one absent more often than not (as in a real workflow). */
export const inputsArb = fc
  .record(
    Object.fromEntries(
      INPUT_NAMES.map((n) => [
        n,
        fc.oneof(
          { weight: absentWeight(n), arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: inputValue(n) }
        )
      ])
    ) as Record<(typeof INPUT_NAMES)[number], fc.Arbitrary<string | undefined>>
  )
  .map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).filter(([, v]) => v !== undefined)
      ) as Record<string, string>
  )

const ENV_NAMES = [
  'CODEX_API_KEY',
  'CODEX_ACCESS_TOKEN',
  'CODEX_AGENT_IDENTITY',
  'OPENAI_API_KEY',
  'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL',
  'CODEX_AUTHAPI_BASE_URL',
  'CODEX_AGENT_IDENTITY_JWKS_BASE_URL',
  'CODEX_REFRESH_TOKEN_URL_OVERRIDE',
  'OPENAI_FEDERATION_RULE_ID',
  'OPENAI_WORKLOAD_IDENTITY_CONTEXT',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
] as const

const envValue = (name: string): fc.Arbitrary<string> => {
  if (name.endsWith('_URL') || name.endsWith('URL_OVERRIDE')) return urlish
  if (name === 'OPENAI_FEDERATION_RULE_ID') return ruleId
  if (name === 'OPENAI_WORKLOAD_IDENTITY_CONTEXT') return anyText
  return fc.oneof(secretInput, jwtLike)
}

/** Env vars, each one absent more often than not. */
export const envArb = fc
  .record(
    Object.fromEntries(
      ENV_NAMES.map((n) => [
        n,
        fc.oneof(
          { weight: absentWeight(n), arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: envValue(n) }
        )
      ])
    ) as Record<(typeof ENV_NAMES)[number], fc.Arbitrary<string | undefined>>
  )
  .map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).filter(([, v]) => v !== undefined)
      ) as Record<string, string>
  )

/** The credential values among inputs and env: none may appear in a message. */
export function credentialValues(
  inputs: Partial<Record<string, string>>,
  env: Partial<Record<string, string>>
): string[] {
  const values: string[] = []
  for (const name of SECRET_INPUTS) {
    const v = inputs[name]
    if (v !== undefined) values.push(v)
  }
  for (const name of [
    'CODEX_API_KEY',
    'CODEX_ACCESS_TOKEN',
    'CODEX_AGENT_IDENTITY',
    'OPENAI_API_KEY',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
  ]) {
    const v = env[name]
    if (v !== undefined) values.push(v)
  }
  // Only whole lines are looked for: a mangled value's parts are what it holds.
  // eslint-disable-next-line no-control-regex
  return values.flatMap((v) => v.split(/[\r\n\t\u0000"]/)).map((v) => v.trim())
}
