/**
 * The keyless inputs (SPEC §10, §12): rule id and context with their env
 * fallbacks, the audience a rule id requires, the token file mode and its
 * platform default, and the job's OIDC env (a fork's pull request told
 * from the event payload).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { logSettings, readSettings } from '../src/inputs.js'
import { fakeRunner } from './support/fake-runner.js'
import { tempDir } from './support/temp-dirs.js'

const OIDC = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t.example/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-0123456789'
}

const read = (
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
  platform: NodeJS.Platform = 'linux'
): ReturnType<typeof readSettings> =>
  readSettings(
    fakeRunner(inputs, { HOME: '/home/u', RUNNER_TEMP: '/rt', ...env }),
    platform
  )

const RULE = { 'federation-rule-id': 'idpm_1', 'oidc-audience': 'aud-1' }

describe('keyless inputs', () => {
  it('no rule id: no keyless settings; fifo by default, file on Windows', () => {
    const s = read()
    expect(s.federationRuleId).toBeUndefined()
    expect(s.githubOidc).toBeUndefined()
    expect(s.identityTokenFileMode).toBe('fifo')
    expect(read({}, {}, 'darwin').identityTokenFileMode).toBe('fifo')
    expect(read({}, {}, 'win32').identityTokenFileMode).toBe('file')
  })

  it('rule id, audience and context from inputs, trimmed', () => {
    const s = read(
      {
        'federation-rule-id': ' idpm_1 ',
        'oidc-audience': ' aud-1 ',
        'workload-identity-context': ' ctx '
      },
      OIDC
    )
    expect(s).toMatchObject({
      federationRuleId: 'idpm_1',
      federationRuleIdFrom: 'input federation-rule-id',
      oidcAudience: 'aud-1',
      workloadIdentityContext: 'ctx',
      identityTokenFileMode: 'fifo',
      githubOidc: {
        requestUrl: OIDC.ACTIONS_ID_TOKEN_REQUEST_URL,
        requestToken: OIDC.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        forkPullRequest: false
      }
    })
  })

  it('env fallbacks: OPENAI_FEDERATION_RULE_ID, OPENAI_WORKLOAD_IDENTITY_CONTEXT; the input wins', () => {
    const env = {
      OPENAI_FEDERATION_RULE_ID: 'idpm_env',
      OPENAI_WORKLOAD_IDENTITY_CONTEXT: 'ctx-env'
    }
    expect(read({ 'oidc-audience': 'a' }, env)).toMatchObject({
      federationRuleId: 'idpm_env',
      federationRuleIdFrom: 'env OPENAI_FEDERATION_RULE_ID',
      workloadIdentityContext: 'ctx-env'
    })
    expect(
      read({ ...RULE, 'workload-identity-context': 'ctx-in' }, env)
    ).toMatchObject({
      federationRuleId: 'idpm_1',
      federationRuleIdFrom: 'input federation-rule-id',
      workloadIdentityContext: 'ctx-in'
    })
  })

  it('a rule id without an audience is an error that says where the audience comes from', () => {
    expect(() => read({}, { OPENAI_FEDERATION_RULE_ID: 'idpm_1' })).toThrow(
      'A federation rule id is set (env OPENAI_FEDERATION_RULE_ID) but oidc-audience is not. Set oidc-audience to the audience configured in the federation rule'
    )
  })

  it('an audience without a rule id is a warning, not keyless', () => {
    const s = read({ 'oidc-audience': 'aud' })
    expect(s.federationRuleId).toBeUndefined()
    expect(s.warnings).toEqual([
      expect.stringContaining('oidc-audience is set but no federation rule id')
    ])
  })

  it.each([
    [
      'banana',
      "Invalid identity-token-file-mode 'banana'. Expected 'fifo' or 'file'."
    ],
    [
      'FIFO',
      "Invalid identity-token-file-mode 'FIFO'. Expected 'fifo' or 'file'."
    ]
  ])(
    'identity-token-file-mode %s is an error naming the input',
    (value, msg) => {
      expect(() => read({ 'identity-token-file-mode': value })).toThrow(msg)
    }
  )

  it('identity-token-file-mode: file anywhere, fifo refused on Windows', () => {
    expect(
      read({ 'identity-token-file-mode': 'file' }).identityTokenFileMode
    ).toBe('file')
    expect(() =>
      read({ 'identity-token-file-mode': 'fifo' }, {}, 'win32')
    ).toThrow(/identity-token-file-mode 'fifo'.*no FIFOs/)
  })

  it.each([
    ['federation-rule-id', 'idpm_1\nx', 'input federation-rule-id'],
    ['oidc-audience', 'a\tb', 'input oidc-audience'],
    ['workload-identity-context', 'c\u0000', 'input workload-identity-context']
  ])('%s with a control character names the input', (name, value, from) => {
    expect(() => read({ ...RULE, [name]: value })).toThrow(
      `The value of ${from} contains a line break or another control character.`
    )
  })

  it('values over their caps are refused with their length, not shown', () => {
    const long = 'x'.repeat(300)
    let message = ''
    try {
      read({ ...RULE, 'federation-rule-id': long })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toContain(
      'The value of input federation-rule-id is 300 characters long, more than the 256'
    )
    expect(message).not.toContain(long)
    const context = { OPENAI_WORKLOAD_IDENTITY_CONTEXT: 'c'.repeat(5000) }
    expect(() => read(RULE, context)).toThrow(
      'The value of env OPENAI_WORKLOAD_IDENTITY_CONTEXT is 5000 characters long'
    )
    // Without a rule id the variable is not read: it cannot fail another mode.
    expect(read({}, context).workloadIdentityContext).toBeUndefined()
  })

  it('logSettings names the keyless settings, never the request token', () => {
    const runner = fakeRunner(RULE, { HOME: '/h', RUNNER_TEMP: '/rt', ...OIDC })
    logSettings(runner, readSettings(runner, 'linux'))
    const log = runner.logs().join('\n')
    expect(log).toContain(
      'Setting federation-rule-id: idpm_1 (input federation-rule-id)'
    )
    expect(log).toContain('Setting oidc-audience: aud-1')
    expect(log).toContain('Setting identity-token-file-mode: fifo')
    expect(log).toContain(
      'Setting ACTIONS_ID_TOKEN_REQUEST_URL: https://t.example/token'
    )
    expect(log).toContain('Setting ACTIONS_ID_TOKEN_REQUEST_TOKEN: set')
    expect(log).not.toContain(OIDC.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
    expect(log).not.toContain('api-version')
  })
})

describe('the job OIDC env and fork pull requests', () => {
  const event = (payload: unknown): string => {
    const file = path.join(tempDir('event-'), 'event.json')
    fs.writeFileSync(file, JSON.stringify(payload))
    return file
  }
  const pr = (fork: boolean, head = 'o/r', base = 'o/r'): unknown => ({
    pull_request: {
      head: { repo: { fork, full_name: head } },
      base: { repo: { full_name: base } }
    }
  })

  it.each([
    ['pull_request', pr(true), true],
    ['pull_request', pr(false, 'someone/r', 'o/r'), true],
    ['pull_request', pr(false), false],
    ['pull_request_review', pr(true), true],
    // Runs in the base repository: it can get the permission.
    ['pull_request_target', pr(true), false],
    ['push', pr(true), false],
    ['pull_request', { pull_request: { head: { repo: null } } }, false]
  ])('%s %j: fork %s', (eventName, payload, fork) => {
    const s = read(RULE, {
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: event(payload)
    })
    expect(s.githubOidc).toEqual({ eventName, forkPullRequest: fork })
  })

  it('an unreadable or invalid payload is no fork', () => {
    const dir = tempDir('event-')
    const bad = path.join(dir, 'bad.json')
    fs.writeFileSync(bad, '{not json')
    for (const file of [bad, path.join(dir, 'missing.json'), dir]) {
      const s = read(RULE, {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: file
      })
      expect(s.githubOidc?.forkPullRequest).toBe(false)
    }
  })

  it('the payload is not read when the job has the permission', () => {
    const s = read(RULE, {
      ...OIDC,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event(pr(true))
    })
    expect(s.githubOidc?.forkPullRequest).toBe(false)
  })
})
