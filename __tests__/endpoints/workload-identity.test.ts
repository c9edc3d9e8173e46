/**
 * Where the workload identity exchange goes, and Codex's routing rule
 * (SPEC 12): only trusted production and staging ChatGPT bases.
 */
import {
  requireTrustedWorkloadRouting,
  resolveWorkloadExchange,
  STAGING_WORKLOAD_EXCHANGE_URL,
  WORKLOAD_EXCHANGE_URL,
  workloadExchangeUrl
} from '../../src/endpoints/workload-identity.js'
import { ActionError } from '../../src/errors.js'
import { WORKLOAD_ROUTING_UNTRUSTED } from '../../src/messages/keyless-settings.js'
import { workloadExchangeUrlOverridden } from '../../src/messages/workload-identity.js'

const PROD = 'https://auth.openai.com/oauth/token'
const STAGING = 'https://auth.api.openai.org/oauth/token'

describe('requireTrustedWorkloadRouting', () => {
  it.each([
    'https://chatgpt.com',
    'https://chatgpt.com/',
    'https://chatgpt.com/backend-api',
    'https://chatgpt.com/backend-api/',
    'https://chatgpt.com/codex',
    'https://chatgpt.com/backend-api/codex',
    'https://chat.openai.com',
    'https://chat.openai.com/backend-api/codex/'
  ])('%s is production', (base) => {
    expect(requireTrustedWorkloadRouting(base)).toBe('production')
  })

  it.each([
    'https://chatgpt-staging.com',
    'https://chatgpt-staging.com/backend-api',
    'https://chatgpt-staging.com/codex/',
    'https://chatgpt-staging.com/backend-api/codex'
  ])('%s is staging', (base) => {
    expect(requireTrustedWorkloadRouting(base)).toBe('staging')
  })

  it.each([
    'http://127.0.0.1:8080/backend-api',
    'http://chatgpt.com/backend-api',
    'https://chatgpt.com.evil.test',
    'https://evil.test/chatgpt.com',
    'https://chatgpt.com/api',
    'https://chatgpt.com/codex/backend-api',
    'https://chatgpt.com:8443/backend-api',
    'https://ChatGPT.com/backend-api',
    'https://user@chatgpt.com/backend-api',
    'https://chatgpt.com/backend-api?x=1',
    ''
  ])("refuses %p with Codex's text", (base) => {
    const run = (): unknown => requireTrustedWorkloadRouting(base)
    expect(run).toThrow(ActionError)
    expect(run).toThrow(
      new ActionError(
        'workload identity auth supports only trusted production and staging app routing'
      )
    )
  })
})

describe('workloadExchangeUrl', () => {
  it("is Codex's production or staging token endpoint", () => {
    expect([WORKLOAD_EXCHANGE_URL, STAGING_WORKLOAD_EXCHANGE_URL]).toEqual([
      PROD,
      STAGING
    ])
    expect(workloadExchangeUrl('production')).toBe(PROD)
    expect(workloadExchangeUrl('staging')).toBe(STAGING)
  })
})

describe('resolveWorkloadExchange', () => {
  it('production by default, no warning', () => {
    expect(resolveWorkloadExchange('https://chatgpt.com/backend-api/')).toEqual(
      { environment: 'production', url: PROD, codexUrl: PROD }
    )
  })

  it('staging for a staging base', () => {
    expect(resolveWorkloadExchange('https://chatgpt-staging.com/')).toEqual({
      environment: 'staging',
      url: STAGING,
      codexUrl: STAGING
    })
  })

  it('an override moves this step only, with a warning that shows no query', () => {
    const override = 'http://127.0.0.1:4000/oauth/token?key=secret'
    const endpoint = resolveWorkloadExchange('https://chatgpt.com', override)
    expect(endpoint).toEqual({
      environment: 'production',
      url: override,
      codexUrl: PROD,
      warning: workloadExchangeUrlOverridden(
        'http://127.0.0.1:4000/oauth/token',
        PROD
      )
    })
    expect(endpoint.warning).not.toContain('secret')
  })

  it("an override equal to Codex's URL is no override", () => {
    expect(resolveWorkloadExchange('https://chatgpt.com', PROD)).toEqual({
      environment: 'production',
      url: PROD,
      codexUrl: PROD
    })
  })

  it('an override does not lift the routing rule', () => {
    expect(() =>
      resolveWorkloadExchange('http://127.0.0.1:4000/backend-api', PROD)
    ).toThrow(WORKLOAD_ROUTING_UNTRUSTED)
  })
})
