/**
 * Bad-input fuzzing (fast-check) of Agent Identity: JWT decoding, claims and
 * records of any shape, verification against the JWKS, private keys and
 * task registration replies.
 */
import fc from 'fast-check'
import { jwksDocument } from '../../../dev/backend/routes/jwks.js'
import {
  checkJwtHeader,
  verifyAgentIdentityJwt
} from '../../../src/clients/jwks.js'
import { taskIdFromResponse } from '../../../src/clients/task-registration.js'
import {
  decodeAgentIdentityJwt,
  decodeJwtHeader,
  identityFromClaims,
  identityFromRecord
} from '../../../src/credentials/agent-identity.js'
import { parseAgentPrivateKey } from '../../../src/crypto/agent-key.js'
import { CryptoError } from '../../../src/crypto/errors.js'
import { PKCS8_V1_B64, PKCS8_V2_B64 } from '../../crypto/vectors.js'
import {
  anyText,
  claims,
  jsonText,
  jwtLike,
  mintedJwt,
  mutatedJwt,
  now,
  secretLeaves
} from '../../support/fuzz/arbitraries.js'
import { settle, settleAsync } from '../../support/fuzz/clean-errors.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('agent-identity')

describe('Agent Identity', () => {
  it('JWT decoding and claims: an identity or one clean error, never the key', () => {
    fc.assert(
      fc.property(jwtLike, fc.boolean(), (jwt, unsigned) => {
        count('JWT decode')
        const decoded = settle(() =>
          decodeAgentIdentityJwt(jwt, 'input access-token', unsigned)
        )
        if (decoded === undefined) return
        const secrets = secretLeaves(decoded.payload)
        const header = settle(() => decodeJwtHeader(decoded.headerPart, 'x'))
        if (header) settle(() => checkJwtHeader(header, 'x'), secrets)
        settle(
          () => identityFromClaims(decoded.payload, 'x', unsigned),
          secrets
        )
      }),
      { numRuns: NUM_RUNS * 2 }
    )
  })

  it('claims and records of any shape: an identity or one clean error, never the key', () => {
    fc.assert(
      fc.property(claims, fc.boolean(), (payload, legacy) => {
        count('claims/records')
        const secrets = secretLeaves(payload)
        settle(
          () =>
            identityFromClaims(payload as Record<string, unknown>, 'x', legacy),
          secrets
        )
        settle(() => identityFromRecord(payload, 'x'), secrets)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('verification against the JWKS: a payload or one clean error', async () => {
    const jwks = jwksDocument()
    await fc.assert(
      fc.asyncProperty(fc.oneof(mintedJwt, mutatedJwt), async (jwt) => {
        count('JWT verify')
        const decoded = settle(() => decodeAgentIdentityJwt(jwt, 'x', false))
        if (decoded === undefined) return
        const header = settle(() => decodeJwtHeader(decoded.headerPart, 'x'))
        if (header === undefined) return
        await settleAsync(
          () =>
            verifyAgentIdentityJwt({
              jwt,
              header,
              jwks,
              now: new Date(now),
              from: 'x'
            }),
          secretLeaves(decoded.payload)
        )
      }),
      { numRuns: 100 }
    )
  })

  const keyText = fc.oneof(
    anyText,
    fc
      .uint8Array({ maxLength: 100 })
      .map((b) => Buffer.from(b).toString('base64')),
    fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((seed) =>
        Buffer.concat([
          Buffer.from('302e020100300506032b657004220420', 'hex'),
          seed
        ]).toString('base64')
      ),
    fc
      .tuple(
        fc.constantFrom(PKCS8_V1_B64, PKCS8_V2_B64),
        fc.nat(200),
        fc.constantFrom('A', '/', '+', '=', '-', '_', '\n', '')
      )
      .map(([k, i, c]) => {
        const at = i % (k.length + 1)
        return k.slice(0, at) + c + k.slice(at + 1)
      }),
    fc.constantFrom(
      PKCS8_V1_B64,
      PKCS8_V2_B64,
      PKCS8_V1_B64.replace(/=+$/, ''),
      Buffer.from(PKCS8_V1_B64, 'base64').toString('base64url'),
      `-----BEGIN PRIVATE KEY-----\n${PKCS8_V1_B64}\n-----END PRIVATE KEY-----`
    )
  )

  it('private key parsing: a key or a CryptoError with one of the two texts', () => {
    fc.assert(
      fc.property(keyText, (text) => {
        count('key parser')
        try {
          const key = parseAgentPrivateKey(text)
          expect(key.publicKey).toHaveLength(32)
        } catch (err) {
          expect(err).toBeInstanceOf(CryptoError)
          expect([
            'stored agent identity private key is not valid base64',
            'stored agent identity private key is not valid PKCS#8'
          ]).toContain((err as Error).message)
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('registration replies: a task id or one clean error', async () => {
    const key = parseAgentPrivateKey(PKCS8_V1_B64)
    const reply = fc.oneof(
      anyText,
      jsonText,
      fc
        .record(
          {
            task_id: fc.jsonValue(),
            taskId: fc.jsonValue(),
            encrypted_task_id: fc.oneof(
              fc.jsonValue(),
              fc.base64String(),
              anyText
            ),
            encryptedTaskId: fc.jsonValue()
          },
          { requiredKeys: [] }
        )
        .map((r) => JSON.stringify(r))
    )
    await fc.assert(
      fc.asyncProperty(reply, async (body) => {
        count('registration reply')
        const id = await settleAsync(() => taskIdFromResponse(body, key))
        if (id !== undefined) expect(id.trim()).not.toBe('')
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
