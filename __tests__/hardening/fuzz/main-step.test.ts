/**
 * Bad-input fuzzing (fast-check) of the whole main step: any inputs, env,
 * home files and backend replies end in success or exactly one clean
 * failure, never the "Unexpected error" branch, with every secret masked
 * before it is used.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import { jwksDocument } from '../../../dev/backend/routes/jwks.js'
import {
  HttpTransportError,
  type HttpClient
} from '../../../src/clients/http.js'
import { run } from '../../../src/main.js'
import { UNEXPECTED_ERROR_PREFIX } from '../../../src/messages/files.js'
import { describeError } from '../../../src/errors.js'
import { fakeRunner } from '../../support/fake-runner.js'
import {
  credentialValues,
  envArb,
  inputsArb
} from '../../support/fuzz/action-inputs.js'
import {
  anyText,
  authDoc,
  identities,
  jsonText,
  now
} from '../../support/fuzz/arbitraries.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'
import { applyMasks } from '../../support/leak-scan.js'
import { standInTokenSource } from '../../support/stand-in-token-source.js'

const count = runCounter('main-step')

describe('the whole main step', () => {
  const id = identities[1]!
  const jwks = JSON.stringify(jwksDocument())
  const canned = fc.oneof(
    fc.constantFrom(
      { status: 200, body: jwks },
      { status: 200, body: JSON.stringify({ task_id: 'task-fuzz' }) },
      {
        status: 200,
        body: JSON.stringify({
          email: 'a@b.c',
          chatgpt_user_id: 'u',
          chatgpt_account_id: 'ws-fuzz',
          chatgpt_plan_type: 'plus',
          chatgpt_account_is_fedramp: false
        })
      },
      {
        status: 200,
        body: JSON.stringify({ access_token: 'at-new-token-0000000000' })
      },
      { status: 401, body: '{"error":{"code":"refresh_token_reused"}}' },
      { status: 503, body: '' },
      'transport' as const
    ),
    fc.record({
      status: fc.constantFrom(200, 400, 429, 500),
      body: fc.oneof(anyText, jsonText)
    })
  )

  const homeFiles = fc.record(
    {
      auth: fc.oneof(
        authDoc.map((d) => JSON.stringify(d, null, 2)),
        anyText
      ),
      config: fc.oneof(
        fc.constantFrom(
          'forced_login_method = "chatgpt"\n',
          'forced_login_method = "api"\n',
          'forced_chatgpt_workspace_id = ["ws-fuzz"]\n',
          'forced_chatgpt_workspace_id = "a,b"\n',
          'cli_auth_credentials_store = "keyring"\n'
        ),
        anyText
      )
    },
    { requiredKeys: [] }
  )

  it('always ends in success or exactly one clean failure; secrets masked before use', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-fuzz-'))
    try {
      await fc.assert(
        fc.asyncProperty(
          inputsArb,
          envArb,
          homeFiles,
          fc.array(canned, { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          async (inputs, env, home, replies, useIdentity) => {
            count('main step')
            const codexHome = path.join(root, 'home')
            const temp = path.join(root, 'temp')
            fs.rmSync(codexHome, { recursive: true, force: true })
            fs.rmSync(temp, { recursive: true, force: true })
            fs.mkdirSync(codexHome, { recursive: true })
            if (home.auth !== undefined)
              fs.writeFileSync(path.join(codexHome, 'auth.json'), home.auth)
            if (home.config !== undefined)
              fs.writeFileSync(path.join(codexHome, 'config.toml'), home.config)
            const allInputs: Record<string, string> = { ...inputs }
            delete allInputs['codex-home']
            // Sometimes a real identity, so the happy path is walked too.
            if (useIdentity) {
              allInputs['access-token'] = id.jwt
              delete allInputs['api-key']
            }
            const runner = fakeRunner(allInputs, {
              HOME: root,
              CODEX_HOME: codexHome,
              RUNNER_TEMP: temp,
              ...env
            })
            let n = 0
            const http: HttpClient = {
              request: (spec) => {
                const reply = replies[n++ % replies.length]!
                if (reply === 'transport') {
                  return Promise.reject(
                    new HttpTransportError(
                      spec.what,
                      spec.url,
                      3,
                      'transport',
                      'connection refused'
                    )
                  )
                }
                return Promise.resolve({
                  ...reply,
                  reason: '',
                  headers: {},
                  truncated: false
                })
              }
            }
            await run(runner, {
              now: () => new Date(now),
              createHttp: () => Promise.resolve(http),
              // Workload identity: a stand-in for the token source (the
              // real helper is a separate bundle), a directory and no
              // process.
              ...standInTokenSource({
                dirPrefix: 'tok-',
                firstTokenFailed: describeError
              }).deps
            })

            const failures = runner.failures()
            count(failures.length === 0 ? 'main step ok' : 'main step failed')
            expect(failures.length).toBeLessThanOrEqual(1)
            if (failures.length === 1) {
              expect(failures[0]).not.toMatch(
                new RegExp(
                  `^${UNEXPECTED_ERROR_PREFIX.replace(/[()]/g, '\\$&')}`
                )
              )
              expect(runner.outputs()).toEqual({})
              expect(runner.exported()).toEqual({})
              expect(fs.existsSync(temp) ? fs.readdirSync(temp) : []).toEqual(
                []
              )
            } else {
              expect(runner.outputs()['auth-mode']).toBeDefined()
            }
            // Every value written for later steps or the log is masked first.
            const secrets = [
              ...credentialValues(allInputs, env),
              ...(useIdentity ? [id.jwt, id.privateKeyB64] : [])
            ].filter((s) => s.length >= 8)
            const masks: string[] = []
            for (const event of runner.events) {
              if (event.kind === 'mask') {
                masks.push(event.value)
                continue
              }
              const shown = applyMasks(event.value, masks)
              for (const s of secrets) expect(shown).not.toContain(s)
            }
          }
        ),
        { numRuns: NUM_RUNS }
      )
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
})
