/**
 * The early start (the entry starts the helper before the action loads):
 * what it reads from the raw environment, and how the launcher takes it
 * over, or stops it when the checked settings start another. The helper
 * runs for real from its sources, against the dev backend.
 */
import * as fs from 'node:fs'
import {
  earlySpec,
  startEarlyTokenSource,
  type EarlyTokenSource
} from '../../src/token-source/early.js'
import {
  launchTokenSource,
  mintFirstToken,
  stopTokenSource
} from '../../src/token-source/launch.js'
import { readProcessIdentity } from '../../src/token-source/process-identity.js'
import { makeFifo } from '../../src/token-source/serve-fifo.js'
import { tempDir } from '../support/temp-dirs.js'
import { helperTestbed, SOURCE_HELPER } from '../support/source-helper.js'

const AUDIENCE = 'https://openai.example/federation'

const RAW = {
  'INPUT_FEDERATION-RULE-ID': ' idpm_1 ',
  'INPUT_OIDC-AUDIENCE': ` ${AUDIENCE}\n`,
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
  RUNNER_TEMP: '/runner/temp'
}

describe('earlySpec: read from the raw environment, as the settings read it', () => {
  it('a keyless run: the spec its token source will most likely get', () => {
    expect(earlySpec(RAW, 'linux')).toEqual({
      runnerTemp: '/runner/temp',
      mode: 'fifo',
      audience: AUDIENCE,
      requestUrl: RAW.ACTIONS_ID_TOKEN_REQUEST_URL,
      requestToken: 'request-token',
      env: RAW
    })
    expect(earlySpec(RAW, 'win32')?.mode).toBe('file')
    expect(
      earlySpec({ ...RAW, 'INPUT_IDENTITY-TOKEN-FILE-MODE': 'file' }, 'linux')
        ?.mode
    ).toBe('file')
  })

  it('the rule from OPENAI_FEDERATION_RULE_ID too', () => {
    const env = {
      ...RAW,
      'INPUT_FEDERATION-RULE-ID': '',
      OPENAI_FEDERATION_RULE_ID: 'idpm_2'
    }
    expect(earlySpec(env, 'linux')?.audience).toBe(AUDIENCE)
  })

  it.each([
    ['no rule', { 'INPUT_FEDERATION-RULE-ID': '  ' }],
    ['no audience', { 'INPUT_OIDC-AUDIENCE': '' }],
    ['no id-token permission', { ACTIONS_ID_TOKEN_REQUEST_URL: '' }],
    ['no request token', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: ' ' }],
    ['no RUNNER_TEMP', { RUNNER_TEMP: '' }],
    ['a mode that is no mode', { 'INPUT_IDENTITY-TOKEN-FILE-MODE': 'pipe' }]
  ])('nothing to start early: %s', (_name, change) => {
    expect(earlySpec({ ...RAW, ...change }, 'linux')).toBeUndefined()
  })
})

describe('startEarlyTokenSource and the launcher', () => {
  const bed = helperTestbed()
  const started = bed.started

  function early(audience = AUDIENCE): {
    early: EarlyTokenSource
    runnerTemp: string
  } {
    const runnerTemp = tempDir('early-')
    const found = startEarlyTokenSource(
      {
        'INPUT_FEDERATION-RULE-ID': 'idpm_1',
        'INPUT_OIDC-AUDIENCE': audience,
        ACTIONS_ID_TOKEN_REQUEST_URL: bed.backend().oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: bed.backend().oidcRequestToken,
        RUNNER_TEMP: runnerTemp
      },
      { helper: SOURCE_HELPER, makeFifo: (file) => makeFifo(file) }
    )
    expect(found).toBeDefined()
    started.push(found!.handle)
    return { early: found!, runnerTemp }
  }

  const checkedSpec = (
    runnerTemp: string,
    audience = AUDIENCE
  ): Parameters<typeof launchTokenSource>[0] => ({
    runnerTemp,
    mode: 'fifo',
    audience,
    requestUrl: bed.backend().oidcRequestUrl,
    requestToken: bed.backend().oidcRequestToken,
    env: {}
  })

  it('nothing is started for a run that is not keyless', () => {
    expect(startEarlyTokenSource({ RUNNER_TEMP: tempDir('early-') })).toBe(
      undefined
    )
  })

  it('the checked settings agree: the launcher takes the early helper over, and it serves', async () => {
    const { early: e, runnerTemp } = early()
    const spec = checkedSpec(runnerTemp)
    const starting = await launchTokenSource(spec, {
      helper: SOURCE_HELPER,
      early: e
    })
    started.push(starting.handle)
    expect(starting.handle.pid).toBe(e.helper.pid)
    expect(starting.handle.dir).toBe(e.helper.dir)
    expect(fs.readdirSync(runnerTemp)).toHaveLength(1)
    starting.handOver(mintFirstToken(spec))
    const handle = await starting.ready()
    expect(fs.lstatSync(handle.path).isFIFO()).toBe(true)
    stopTokenSource(handle)
    expect(readProcessIdentity(handle.pid)).toBeUndefined()
    expect(fs.readdirSync(runnerTemp)).toEqual([])
  })

  it('they do not (another audience): the early helper is stopped and its directory gone; a new one starts', async () => {
    const { early: e, runnerTemp } = early('https://guessed.example/aud')
    const starting = await launchTokenSource(checkedSpec(runnerTemp), {
      helper: SOURCE_HELPER,
      early: e
    })
    started.push(starting.handle)
    expect(starting.handle.pid).not.toBe(e.helper.pid)
    expect(readProcessIdentity(e.helper.pid)).toBeUndefined()
    expect(fs.existsSync(e.helper.dir)).toBe(false)
    expect(fs.readdirSync(runnerTemp)).toHaveLength(1)
    stopTokenSource(starting.handle)
    expect(fs.readdirSync(runnerTemp)).toEqual([])
  })
})
