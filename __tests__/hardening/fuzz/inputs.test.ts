/**
 * Bad-input fuzzing (fast-check) of the action's inputs and env: settings
 * or one clean error that quotes no credential, workspace lists, and proxy
 * variables http-client either uses as a proxy or we refuse.
 */
import * as os from 'node:os'
import fc from 'fast-check'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { checkProxySettings } from '../../../src/clients/http/proxy.js'
import { ActionError } from '../../../src/errors.js'
import { parseWorkspaceList, readSettings } from '../../../src/inputs.js'
import { workspaceListEmpty } from '../../../src/messages/inputs.js'
import { fakeRunner } from '../../support/fake-runner.js'
import {
  credentialValues,
  envArb,
  inputsArb,
  urlish
} from '../../support/fuzz/action-inputs.js'
import { anyText } from '../../support/fuzz/arbitraries.js'
import { settle } from '../../support/fuzz/clean-errors.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('inputs')

describe('inputs', () => {
  it('readSettings: settings or one clean error, never quoting a credential', () => {
    fc.assert(
      fc.property(inputsArb, envArb, (inputs, env) => {
        count('readSettings')
        const runner = fakeRunner(inputs, {
          HOME: os.tmpdir(),
          RUNNER_TEMP: os.tmpdir(),
          ...env
        })
        settle(() => readSettings(runner), credentialValues(inputs, env))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('parseWorkspaceList: trimmed, non-empty ids without separators; stable', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        count('parseWorkspaceList')
        const ids = parseWorkspaceList(raw)
        for (const id of ids) {
          expect(id).toBe(id.trim())
          expect(id).not.toBe('')
          expect(id).not.toMatch(/[,\r\n]/)
        }
        expect(parseWorkspaceList(ids.join(','))).toEqual(ids)
      }),
      { numRuns: NUM_RUNS }
    )
  })
  // A list that parses to nothing must not silently mean "no restriction".
  it('a non-blank forced-workspace-id naming no id is one clean error', () => {
    const separators = fc
      .array(fc.constantFrom(',', ' ', '\t', ',,', ' , '), {
        minLength: 1,
        maxLength: 8
      })
      .map((parts) => `,${parts.join('')}`)
    fc.assert(
      fc.property(separators, (value) => {
        count('empty workspace list')
        const runner = fakeRunner(
          { 'api-key': 'sk-fuzz-0123456789', 'forced-workspace-id': value },
          { HOME: os.tmpdir(), RUNNER_TEMP: os.tmpdir() }
        )
        expect(() => readSettings(runner)).toThrow(
          new ActionError(workspaceListEmpty(value.trim()))
        )
      }),
      { numRuns: NUM_RUNS }
    )
  })

  // http-client goes direct when it cannot use a proxy value: a value we
  // accept must be one it uses, and one we refuse is never quoted with its
  // password.
  it('proxy variables: used as a proxy by http-client, or refused; never direct', () => {
    const password = fc.string({
      unit: fc.constantFrom(...'abcXYZ019%-_.~'),
      minLength: 6,
      maxLength: 12
    })
    const value = fc.oneof(
      anyText,
      urlish,
      fc
        .tuple(
          fc.constantFrom('', 'http://', 'https://', 'socks5://', 'http:/'),
          fc.constantFrom('', 'user:'),
          password,
          fc.constantFrom('proxy.test', 'localhost', '127.0.0.1', '', '[::1]'),
          fc.constantFrom('', ':3128', ':99999', ':x')
        )
        .map(([scheme, user, pw, host, port]) =>
          user
            ? `${scheme}${user}PW${pw}@${host}${port}`
            : `${scheme}${host}${port}`
        )
    )
    const saved = { ...process.env }
    try {
      for (const name of [
        'http_proxy',
        'https_proxy',
        'no_proxy',
        'NO_PROXY'
      ]) {
        delete process.env[name]
      }
      fc.assert(
        fc.property(value, (proxy) => {
          count('proxy settings')
          process.env['HTTPS_PROXY'] = proxy
          const target = new URL('https://api.openai.example/v1')
          let refused: unknown
          try {
            checkProxySettings(target)
          } catch (error) {
            refused = error
          }
          if (refused === undefined) {
            if (proxy === '') return
            const used = getProxyUrl(target)
            expect(used).toBeDefined()
            expect(used!.hostname).not.toBe('')
            expect(['http:', 'https:']).toContain(used!.protocol)
            expect(() => decodeURIComponent(used!.password)).not.toThrow()
          } else {
            expect(refused).toBeInstanceOf(ActionError)
            const message = (refused as Error).message
            expect(message).toContain("HTTPS_PROXY='")
            const pw = /PW([^@]*)@/.exec(proxy)?.[1]
            if (pw) expect(message).not.toContain(`PW${pw}`)
          }
        }),
        { numRuns: NUM_RUNS }
      )
    } finally {
      process.env = saved
    }
  })
})
