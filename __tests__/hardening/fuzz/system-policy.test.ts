/**
 * Bad-input fuzzing (fast-check) of the system policy: requirements.toml and
 * managed_config.toml of any shape, composed with the inputs, give one
 * clean error or a policy every layer agrees with.
 */
import fc from 'fast-check'
import { parse as parseToml } from 'smol-toml'
import type { Settings } from '../../../src/inputs.js'
import { resolvePolicy } from '../../../src/policy/rules.js'
import { parseSystemPolicy } from '../../../src/policy/system.js'
import { parseCodexConfig } from '../../../src/sources/config-toml.js'
import { anyText } from '../../support/fuzz/arbitraries.js'
import { settle } from '../../support/fuzz/clean-errors.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('system-policy')

describe('system policy', () => {
  const ids = fc.constantFrom('ws-a', 'ws-b', 'ws-c', ' ws-a ', '')
  const list = fc.array(ids, { maxLength: 3 })
  const method = fc.constantFrom('chatgpt', 'api', 'API', '')
  const tomlList = (values: string[]): string =>
    `[${values.map((v) => JSON.stringify(v)).join(', ')}]`
  // Each file: the keys this action reads, as lists, strings or tables, or
  // text that is not TOML; undefined is no file.
  const requirements = fc.option(
    fc.oneof(
      fc
        .record(
          {
            methods: fc.option(fc.array(method, { maxLength: 3 })),
            workspaces: fc.option(
              fc.oneof(
                list.map(tomlList),
                fc.constant('{ ids = ["ws-a"] }'),
                ids.map((v) => JSON.stringify(v))
              )
            )
          },
          { requiredKeys: [] }
        )
        .map(
          (r) =>
            (r.methods
              ? `allowed_login_methods = ${tomlList(r.methods)}\n`
              : '') +
            (r.workspaces
              ? `allowed_chatgpt_workspaces = ${r.workspaces}\n`
              : '')
        ),
      anyText
    ),
    { nil: undefined }
  )
  const managed = fc.option(
    fc.oneof(
      fc
        .record(
          {
            method: fc.option(method),
            workspaces: fc.option(
              fc.oneof(
                list.map(tomlList),
                ids.map((v) => JSON.stringify(v))
              )
            )
          },
          { requiredKeys: [] }
        )
        .map(
          (r) =>
            (typeof r.method === 'string'
              ? `forced_login_method = "${r.method}"\n`
              : '') +
            (r.workspaces
              ? `forced_chatgpt_workspace_id = ${r.workspaces}\n`
              : '')
        ),
      anyText
    ),
    { nil: undefined }
  )
  const inputs = fc.record({
    forcedLoginMethod: fc.option(
      fc.constantFrom('chatgpt' as const, 'api' as const),
      { nil: undefined }
    ),
    forcedWorkspaceIds: fc.option(
      fc.array(fc.constantFrom('ws-a', 'ws-b', 'ws-c'), {
        minLength: 1,
        maxLength: 3
      }),
      { nil: undefined }
    )
  })

  // Whatever the layers say, the result is one clean error or a policy that
  // every layer agrees with: the primed list lies inside every list, and the
  // forced method is one the administrator allows.
  it('composition: one clean error, or a policy inside every layer', () => {
    fc.assert(
      fc.property(requirements, managed, inputs, (req, man, input) => {
        count('system policy')
        const system = settle(() =>
          parseSystemPolicy(
            { path: '/etc/codex/requirements.toml', text: req },
            { path: '/etc/codex/managed_config.toml', text: man },
            parseToml
          )
        )
        if (system === undefined) return
        const settings = {
          credentials: {},
          ...(input.forcedLoginMethod
            ? { forcedLoginMethod: input.forcedLoginMethod }
            : {}),
          ...(input.forcedWorkspaceIds
            ? { forcedWorkspaceIds: input.forcedWorkspaceIds }
            : {})
        } as unknown as Settings
        const policy = settle(() =>
          resolvePolicy(
            settings,
            parseCodexConfig('', '/h/config.toml'),
            system
          )
        )
        if (policy === undefined) return
        const lists = [
          input.forcedWorkspaceIds,
          system.managedWorkspaces,
          system.allowedWorkspaces
        ].filter((l): l is string[] => l !== undefined)
        if (lists.length > 0) {
          expect(policy.primedWorkspaceIds?.length).toBeGreaterThan(0)
          for (const id of policy.primedWorkspaceIds ?? []) {
            for (const l of lists) expect(l).toContain(id)
          }
        }
        const allowed = system.allowedLoginMethods
        if (allowed) {
          if (policy.loginMethod) expect(allowed).toContain(policy.loginMethod)
          if (allowed.length === 1) expect(policy.loginMethod).toBe(allowed[0])
        }
        if (system.managedLoginMethod) {
          expect(policy.loginMethod).toBe(system.managedLoginMethod)
        }
        if (input.forcedLoginMethod) {
          expect(policy.loginMethod).toBe(input.forcedLoginMethod)
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
