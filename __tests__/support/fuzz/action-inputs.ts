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
  'cleanup'
] as const

const SECRET_INPUTS = new Set(['api-key', 'access-token', 'agent-identity'])

/** Mostly a valid value, sometimes junk: every branch of the pipeline is walked. */
const mostly = <T>(
  valid: fc.Arbitrary<T>,
  junk: fc.Arbitrary<T>
): fc.Arbitrary<T> =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: junk })

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
          {
            weight: SECRET_INPUTS.has(n) ? 1 : 3,
            arbitrary: fc.constant(undefined)
          },
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
  'CODEX_REFRESH_TOKEN_URL_OVERRIDE'
] as const

/** Env vars, each one absent more often than not. */
export const envArb = fc
  .record(
    Object.fromEntries(
      ENV_NAMES.map((n) => [
        n,
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          {
            weight: 1,
            arbitrary:
              n.endsWith('_URL') || n.endsWith('URL_OVERRIDE')
                ? urlish
                : fc.oneof(secretInput, jwtLike)
          }
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
    'OPENAI_API_KEY'
  ]) {
    const v = env[name]
    if (v !== undefined) values.push(v)
  }
  // Only whole lines are looked for: a mangled value's parts are what it holds.
  // eslint-disable-next-line no-control-regex
  return values.flatMap((v) => v.split(/[\r\n\t\u0000"]/)).map((v) => v.trim())
}
