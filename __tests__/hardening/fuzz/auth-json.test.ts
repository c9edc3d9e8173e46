/**
 * Bad-input fuzzing (fast-check) of auth.json: decode, parse and credential
 * over documents of every mode, base64, JSON of any shape, any text and
 * nesting past any real document.
 */
import fc from 'fast-check'
import { renderAuthJson } from '../../../src/codex-home/auth-json.js'
import { identityFromRecord } from '../../../src/credentials/agent-identity.js'
import {
  authJsonSecrets,
  credentialFromAuthJson,
  decodeAuthJsonInput,
  parseAuthJson
} from '../../../src/credentials/auth-json.js'
import { parseChatgptAuth } from '../../../src/credentials/chatgpt-tokens.js'
import {
  anyText,
  authDoc,
  base64Of,
  jsonText,
  secretLeaves
} from '../../support/fuzz/arbitraries.js'
import { settle } from '../../support/fuzz/clean-errors.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('auth-json')

describe('auth.json', () => {
  const input = fc.oneof(
    authDoc.map((d) => JSON.stringify(d)),
    authDoc.map((d) => JSON.stringify(d, null, 2)),
    base64Of(authDoc.map((d) => JSON.stringify(d))),
    base64Of(jsonText),
    base64Of(anyText),
    jsonText,
    anyText,
    // Nested past any real document (a recursive walk would overflow).
    fc
      .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'))
      .map(
        ([depth, open]) =>
          `{"auth_mode":"chatgpt","tokens":${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}}`
      )
  )

  it('decode → parse → credential: a credential or one clean error', () => {
    fc.assert(
      fc.property(input, (raw) => {
        count('auth-json')
        const leaves = (() => {
          try {
            return secretLeaves(JSON.parse(decodeAuthJsonInput(raw)))
          } catch {
            return []
          }
        })()
        const doc = settle(
          () => parseAuthJson(decodeAuthJsonInput(raw), 'input auth-json'),
          leaves
        )
        if (doc === undefined) return
        // What is masked is what the document holds, and rendering the
        // primed copy keeps every one of those secrets.
        const secrets = authJsonSecrets(doc)
        expect(secretLeaves(doc).map((s) => s.trim())).toEqual(
          expect.arrayContaining(secrets)
        )
        expect(
          authJsonSecrets(JSON.parse(renderAuthJson(doc)) as typeof doc)
        ).toEqual(secrets)
        const credential = settle(
          () => credentialFromAuthJson(doc, { label: 'input auth-json' }),
          leaves
        )
        if (credential?.mode === 'chatgpt') {
          settle(
            () => parseChatgptAuth(credential.doc, 'input auth-json'),
            leaves
          )
        }
        if (
          credential?.mode === 'agentIdentity' &&
          credential.material.kind === 'record'
        ) {
          settle(
            () =>
              identityFromRecord(
                credential.material.kind === 'record'
                  ? credential.material.record
                  : undefined,
                'x'
              ),
            leaves
          )
        }
      }),
      { numRuns: NUM_RUNS * 2 }
    )
  })
})
