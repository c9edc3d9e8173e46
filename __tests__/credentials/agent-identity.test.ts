import { mintAgentIdentity } from '../../dev/backend/identity.js'
import {
  decodeAgentIdentityJwt,
  decodeJwtHeader,
  identityFromClaims,
  identityFromRecord,
  primedIdentityRecord,
  type AgentIdentity
} from '../../src/credentials/agent-identity.js'
import { ActionError } from '../../src/errors.js'
import { PKCS8_V1_B64, PKCS8_V2_B64, SEED } from '../crypto/vectors.js'

const FROM = 'input access-token'
const b64url = (value: unknown): string =>
  Buffer.from(
    typeof value === 'string' ? value : JSON.stringify(value)
  ).toString('base64url')
const jwtOf = (payload: unknown, signature = 'c2ln'): string =>
  `${b64url({ alg: 'RS256', kid: 'k' })}.${b64url(payload)}.${signature}`

function errorOf(fn: () => unknown): ActionError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ActionError)
    return err as ActionError
  }
  throw new Error('expected an ActionError')
}

const CURRENT = {
  iss: 'https://chatgpt.com/codex-backend/agent-identity',
  aud: 'codex-app-server',
  iat: 1_767_225_600,
  exp: 1_767_229_200,
  agent_runtime_id: 'agent-123',
  agent_private_key: PKCS8_V2_B64,
  account_id: 'acct-1',
  chatgpt_user_id: 'user-1',
  email: 'a@example.test',
  plan_type: 'hc',
  chatgpt_account_is_fedramp: true
}

describe('decodeAgentIdentityJwt (Codex format check)', () => {
  it('decodes a minted JWT', () => {
    const minted = mintAgentIdentity({ seed: SEED })
    const decoded = decodeAgentIdentityJwt(minted.jwt, FROM, false)
    expect(decoded.payload).toEqual(minted.claims)
    expect(decodeJwtHeader(decoded.headerPart, FROM)).toEqual(minted.header)
    expect(decoded.signaturePart).not.toBe('')
  })

  it.each([
    ['two parts', 'aaa.bbb'],
    ['four parts', `${jwtOf(CURRENT)}.x`],
    ['an empty header', `.${b64url(CURRENT)}.sig`],
    ['an empty payload', `${b64url({})}..sig`],
    ['a payload that is not base64url', `${b64url({})}.a+b/.sig`],
    ['a padded payload', `${b64url({})}.${b64url('{"a":1}')}=.sig`],
    ['a payload that is not JSON', `${b64url({})}.${b64url('not json')}.sig`],
    ['a JSON array payload', `${b64url({})}.${b64url([1, 2])}.sig`],
    ['a JSON string payload', `${b64url({})}.${b64url('"x"')}.sig`],
    ['an empty signature', jwtOf(CURRENT, '')],
    ['a bare word', 'not-a-jwt']
  ])('rejects %s with Codex’s text and the source', (_name, jwt) => {
    expect(
      errorOf(() => decodeAgentIdentityJwt(jwt, FROM, false)).message
    ).toBe(
      'invalid agent identity JWT format (agent identity from input access-token)'
    )
  })

  it('accepts an empty signature only when told to (seeds’ unsigned tokens)', () => {
    const jwt = jwtOf({ workspace_id: 'w' }, '')
    expect(decodeAgentIdentityJwt(jwt, FROM, true).signaturePart).toBe('')
  })

  it('never echoes the token in its message', () => {
    const jwt = `${b64url({})}.${b64url('secret-looking-payload')}.sig`
    expect(
      errorOf(() => decodeAgentIdentityJwt(jwt, FROM, false)).message
    ).not.toContain('secret')
  })

  it.each([
    ['not a JSON object', b64url('[]')],
    ['padded', `${b64url({ alg: 'RS256', kid: 'k1' })}=`],
    ['empty', '']
  ])('rejects a header %s', (_name, part) => {
    expect(errorOf(() => decodeJwtHeader(part, FROM)).message).toBe(
      'failed to decode agent identity JWT header (agent identity from input access-token)'
    )
  })

  it('leaves alg and kid to the verifier, which has a text for each', () => {
    expect(decodeJwtHeader(b64url({ alg: 'none', kid: 7 }), FROM)).toEqual({
      alg: 'none',
      kid: 7
    })
  })

  it('rejects a payload that is not UTF-8, as Codex does', () => {
    const bad = Buffer.from([
      0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d
    ])
    expect(
      errorOf(() =>
        decodeAgentIdentityJwt(
          `${b64url({})}.${bad.toString('base64url')}.sig`,
          FROM,
          false
        )
      ).message
    ).toBe(
      'invalid agent identity JWT format (agent identity from input access-token)'
    )
  })
})

describe('identityFromClaims', () => {
  it('maps the current shape', () => {
    expect(identityFromClaims({ ...CURRENT }, FROM, false)).toEqual({
      shape: 'jwt',
      runtimeId: 'agent-123',
      privateKey: PKCS8_V2_B64,
      accountId: 'acct-1',
      chatgptUserId: 'user-1',
      email: 'a@example.test',
      planType: 'hc',
      fedramp: true
    })
  })

  it('treats a missing or null email as empty', () => {
    const noEmail: Record<string, unknown> = { ...CURRENT }
    delete noEmail['email']
    expect(identityFromClaims(noEmail, FROM, false).email).toBe('')
    expect(
      identityFromClaims({ ...CURRENT, email: null }, FROM, false).email
    ).toBe('')
  })

  it.each([
    ['account_id', { account_id: undefined }, 'account_id'],
    [
      'chatgpt_account_is_fedramp as text',
      { chatgpt_account_is_fedramp: 'true' },
      'chatgpt_account_is_fedramp'
    ],
    ['an empty agent_runtime_id', { agent_runtime_id: '' }, 'agent_runtime_id'],
    [
      'an array aud (Codex cannot parse it)',
      { aud: ['codex-app-server'] },
      'aud'
    ],
    [
      'a numeric agent_private_key',
      { agent_private_key: 42 },
      'agent_private_key'
    ]
  ])('rejects %s, naming the claim', (_name, change, claim) => {
    const payload: Record<string, unknown> = { ...CURRENT, ...change }
    for (const [k, v] of Object.entries(change))
      if (v === undefined) delete payload[k]
    const message = errorOf(() =>
      identityFromClaims(payload, FROM, false)
    ).message
    expect(message).toMatch(
      /^failed to decode agent identity JWT: invalid credential JSON \(.+\) \(agent identity from input access-token\)$/
    )
    expect(message).toContain(`at ${claim}`)
    expect(message).not.toContain('\n')
  })

  it('never echoes claim values, the private key above all', () => {
    const message = errorOf(() =>
      identityFromClaims(
        { ...CURRENT, agent_private_key: ['MC4CAQAw-secret'], account_id: 7 },
        FROM,
        false
      )
    ).message
    expect(message).not.toContain('MC4CAQAw')
    expect(message).not.toContain('7')
  })

  describe('the seeds’ older shape', () => {
    const LEGACY = {
      workspace_id: 'ws-1',
      agent_runtime_id: 'agent_123',
      agent_private_key: PKCS8_V1_B64,
      registered_at: '2026-04-13T12:00:00Z'
    }

    it('is refused when verification is on, with what to do', () => {
      expect(
        errorOf(() => identityFromClaims(LEGACY, FROM, false)).message
      ).toBe(
        'The agent identity from input access-token has the older shape (claim workspace_id) that current Codex rejects. Use a current Agent Identity JWT, or set verify-identity: false to use it unverified (an unverified identity cannot satisfy forced-workspace-id).'
      )
    })

    it('maps workspace_id to the account when verification is off', () => {
      expect(identityFromClaims(LEGACY, FROM, true)).toEqual({
        shape: 'legacy-jwt',
        runtimeId: 'agent_123',
        privateKey: PKCS8_V1_B64,
        accountId: 'ws-1',
        chatgptUserId: '',
        email: '',
        planType: undefined,
        fedramp: false
      })
    })

    it('keeps chatgpt_user_id when present', () => {
      expect(
        identityFromClaims({ ...LEGACY, chatgpt_user_id: 'u' }, FROM, true)
          .chatgptUserId
      ).toBe('u')
    })

    it('still validates its fields', () => {
      const noRuntime: Record<string, unknown> = { ...LEGACY }
      delete noRuntime['agent_runtime_id']
      expect(
        errorOf(() => identityFromClaims(noRuntime, FROM, true)).message
      ).toContain('at agent_runtime_id')
    })

    it('a token with both names is the current shape', () => {
      expect(
        identityFromClaims({ ...CURRENT, workspace_id: 'x' }, FROM, false)
          .accountId
      ).toBe('acct-1')
    })
  })
})

describe('identityFromRecord (auth.json, trusted local state)', () => {
  const AUTH = '/home/me/.codex/auth.json'

  it('reads Codex’s current record with its task', () => {
    expect(
      identityFromRecord(
        {
          agent_runtime_id: 'agent-123',
          agent_private_key: PKCS8_V1_B64,
          account_id: 'acct-1',
          chatgpt_user_id: 'user-1',
          email: 'e@x.test',
          plan_type: 'pro',
          chatgpt_account_is_fedramp: false,
          task_id: 'task-1'
        },
        AUTH
      )
    ).toEqual({
      shape: 'record',
      runtimeId: 'agent-123',
      privateKey: PKCS8_V1_B64,
      accountId: 'acct-1',
      chatgptUserId: 'user-1',
      email: 'e@x.test',
      planType: 'pro',
      fedramp: false,
      taskId: 'task-1'
    })
  })

  it('fills defaults for the optional fields', () => {
    expect(
      identityFromRecord(
        {
          agent_runtime_id: 'a',
          agent_private_key: 'k',
          account_id: 'acct',
          email: null,
          task_id: null
        },
        AUTH
      )
    ).toEqual({
      shape: 'record',
      runtimeId: 'a',
      privateKey: 'k',
      accountId: 'acct',
      chatgptUserId: '',
      email: '',
      planType: undefined,
      fedramp: false
    })
  })

  it.each([[''], ['   ']])(
    'a blank task_id (%j) means no task, as in Codex',
    (task) => {
      const identity = identityFromRecord(
        {
          agent_runtime_id: 'a',
          agent_private_key: 'k',
          account_id: 'x',
          task_id: task
        },
        AUTH
      )
      expect(identity.taskId).toBeUndefined()
    }
  )

  it('maps the seeds’ record: workspace_id and background_task_id', () => {
    expect(
      identityFromRecord(
        {
          workspace_id: 'org_mine',
          chatgpt_user_id: null,
          agent_runtime_id: 'agent_123',
          agent_private_key: PKCS8_V1_B64,
          registered_at: '2026-04-13T12:00:00Z',
          background_task_id: 'task_123'
        },
        AUTH
      )
    ).toEqual({
      shape: 'legacy-record',
      runtimeId: 'agent_123',
      privateKey: PKCS8_V1_B64,
      accountId: 'org_mine',
      chatgptUserId: '',
      email: '',
      planType: undefined,
      fedramp: false,
      taskId: 'task_123'
    })
  })

  it('rejects a record missing its account, naming the field', () => {
    expect(
      errorOf(() =>
        identityFromRecord(
          { agent_runtime_id: 'a', agent_private_key: 'k' },
          AUTH
        )
      ).message
    ).toBe(
      'The auth.json from /home/me/.codex/auth.json is not valid: agent_identity: Invalid input: expected string, received undefined → at account_id.'
    )
  })

  describe('issue texts: the field and both types, never the value', () => {
    const VALID = {
      agent_runtime_id: 'a',
      agent_private_key: 'k',
      account_id: 'x'
    }
    const issues = (change: Record<string, unknown>): string => {
      const message = errorOf(() =>
        identityFromRecord({ ...VALID, ...change }, AUTH)
      ).message
      const prefix = `The auth.json from ${AUTH} is not valid: agent_identity: `
      expect(message.startsWith(prefix)).toBe(true)
      return message.slice(prefix.length, -1)
    }

    it.each([
      [
        { account_id: undefined },
        'Invalid input: expected string, received undefined → at account_id'
      ],
      [
        { account_id: 7 },
        'Invalid input: expected string, received number → at account_id'
      ],
      [
        { account_id: ['a'] },
        'Invalid input: expected string, received array → at account_id'
      ],
      [
        { account_id: {} },
        'Invalid input: expected string, received object → at account_id'
      ],
      [
        { agent_runtime_id: '' },
        'Too small: expected string to have >=1 characters → at agent_runtime_id'
      ],
      [
        { chatgpt_account_is_fedramp: 'true' },
        'Invalid input: expected boolean, received string → at chatgpt_account_is_fedramp'
      ],
      [
        { email: false },
        'Invalid input: expected string, received boolean → at email'
      ],
      [
        { account_id: null },
        'Invalid input: expected string, received null → at account_id'
      ]
    ])('%j', (change, expected) => {
      expect(issues(change)).toBe(expected)
    })

    it('a number that JSON overflowed to Infinity is not a number', () => {
      const payload = JSON.parse(
        JSON.stringify(CURRENT).replace('1767229200', '1e999')
      ) as Record<string, unknown>
      expect(
        errorOf(() => identityFromClaims(payload, FROM, false)).message
      ).toContain('Invalid input: expected number, received Infinity → at exp')
    })

    it('reports every failing field on one line, in schema order', () => {
      expect(
        issues({ agent_runtime_id: undefined, account_id: 1, email: 2 })
      ).toBe(
        'Invalid input: expected string, received undefined → at agent_runtime_id; ' +
          'Invalid input: expected string, received number → at account_id; ' +
          'Invalid input: expected string, received number → at email'
      )
    })

    it('never quotes a value', () => {
      const secret = 'MC4CAQAwBQYDK2VwBCIEI-secret'
      expect(
        issues({ agent_private_key: [secret], account_id: secret.length })
      ).not.toContain('MC4CAQAw')
    })
  })

  it.each([[[1]], [42]])('rejects %j', (record) => {
    expect(errorOf(() => identityFromRecord(record, AUTH)).message).toBe(
      'The auth.json from /home/me/.codex/auth.json is not valid: agent_identity is neither a JWT nor an object.'
    )
  })
})

describe('caps on values kept or exported', () => {
  const AUTH = '/home/me/.codex/auth.json'
  const record = {
    agent_runtime_id: 'a',
    agent_private_key: 'k',
    account_id: 'x'
  }

  it.each([
    ['account_id', 256],
    ['plan_type', 64],
    ['task_id', 256]
  ])(
    'a record %s over %i characters names the field and its length',
    (name, max) => {
      expect(
        identityFromRecord({ ...record, [name]: 'v'.repeat(max) }, AUTH)
      ).toBeDefined()
      expect(
        errorOf(() =>
          identityFromRecord({ ...record, [name]: 'v'.repeat(max + 1) }, AUTH)
        ).message
      ).toBe(
        `agent_identity.${name} in the credential from ${AUTH} is ${max + 1} characters long, more than the ${max} this action accepts. Store the credential exactly as issued.`
      )
    }
  )

  it.each([
    ['account_id', 256],
    ['plan_type', 64]
  ])(
    'a claim %s over %i characters names the field and its length',
    (name, max) => {
      const message = errorOf(() =>
        identityFromClaims(
          { ...CURRENT, [name]: 'v'.repeat(max + 1) },
          FROM,
          false
        )
      ).message
      expect(message).toBe(
        `${name} in the credential from ${FROM} is ${max + 1} characters long, more than the ${max} this action accepts. Store the credential exactly as issued.`
      )
    }
  )

  it('the older shape caps workspace_id', () => {
    expect(
      errorOf(() =>
        identityFromClaims(
          {
            workspace_id: 'w'.repeat(300),
            agent_runtime_id: 'a',
            agent_private_key: 'k'
          },
          FROM,
          true
        )
      ).message
    ).toContain(
      'workspace_id in the credential from input access-token is 300 characters long'
    )
  })
})

describe('primedIdentityRecord (SPEC 7)', () => {
  const identity: AgentIdentity = {
    shape: 'jwt',
    runtimeId: 'agent-123',
    privateKey: PKCS8_V2_B64,
    accountId: 'acct-1',
    chatgptUserId: 'user-1',
    email: '',
    planType: 'education',
    fedramp: true
  }

  it('writes Codex’s keys in Codex’s order, plan mapped', () => {
    const record = primedIdentityRecord(identity, PKCS8_V1_B64, 'task-123')
    expect(JSON.stringify(record)).toBe(
      JSON.stringify({
        agent_runtime_id: 'agent-123',
        agent_private_key: PKCS8_V1_B64,
        account_id: 'acct-1',
        chatgpt_user_id: 'user-1',
        email: '',
        plan_type: 'edu',
        chatgpt_account_is_fedramp: true,
        task_id: 'task-123'
      })
    )
  })

  it('leaves task_id out when there is no task', () => {
    expect(
      primedIdentityRecord(identity, PKCS8_V1_B64, undefined)
    ).not.toHaveProperty('task_id')
  })

  it('maps an unknown or missing plan to unknown', () => {
    expect(
      primedIdentityRecord({ ...identity, planType: undefined }, 'k', undefined)
        .plan_type
    ).toBe('unknown')
  })
})
