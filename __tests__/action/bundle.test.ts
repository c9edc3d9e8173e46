/**
 * The shape of the built bundle (dist/): the entries only start a run, no
 * chunk imports an entry back, loading a chunk does nothing, and undici
 * (imported by @actions/http-client for a dispatcher the action never asks
 * for) is never loaded by a run, networked or not, nor node:crypto by a
 * keyless one. Core's log lines, written straight to fd 1 by a bundle
 * setting, all arrive in order even when fd 1 refuses a write.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDevBackend, type DevBackend } from '../../dev/backend/index.js'
import { runnerStepEnv, spawnCollect } from '../../dev/runner-sim.js'
import { tempDir } from '../support/temp-dirs.js'
import {
  actionNode,
  makeRunnerDirs,
  ROOT,
  runAction,
  runPost,
  type RunResult
} from '../support/run-action.js'

const DIST = path.join(ROOT, 'dist')
/**
 * Preloaded into a run (NODE_OPTIONS=--require): at exit it writes the
 * node-internal modules and the CommonJS files the process loaded.
 */
const TRACER = `
const fs = require('node:fs')
process.on('exit', () => {
  const loaded = [...process.moduleLoadList, ...Object.keys(require.cache)]
  fs.writeFileSync(process.env.TRACE_MODULES_FILE, loaded.join('\\n'))
})
`

/** Every JavaScript file of the bundle, relative to dist/. */
function bundleFiles(): string[] {
  return fs
    .readdirSync(DIST, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
}

/** The relative specifiers a file imports, statically or dynamically. */
function importsOf(file: string): string[] {
  const code = fs.readFileSync(path.join(DIST, file), 'utf8')
  const found = code.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g
  )
  return [...found].map((m) => m[1]!)
}

/** The two steps' entries. */
const STEP_ENTRIES = ['index.js', path.join('post', 'index.js')]
/** The token source helper's entry: the main step starts it as a process. */
const HELPER_ENTRY = path.join('token-source', 'index.js')
const ENTRIES = [...STEP_ENTRIES, HELPER_ENTRY]

describe('bundle layout', () => {
  it('has the three entries and chunks beside them', () => {
    const files = bundleFiles()
    for (const entry of ENTRIES) expect(files).toContain(entry)
    expect(files.length).toBeGreaterThan(ENTRIES.length)
  })

  it('index.js starts a keyless token source early when the step may be keyless, then imports the run chunk and starts the run', () => {
    const code = fs.readFileSync(path.join(DIST, 'index.js'), 'utf8').trim()
    // Nothing static: every chunk is imported on purpose.
    expect(code).not.toMatch(/\bfrom\s*"/)
    const dynamic = [...code.matchAll(/\bimport\("(\.\/[\w-]+\.js)"\)/g)].map(
      (m) => m[1]!
    )
    // First the early start, only when the step names an OIDC audience...
    expect(dynamic[0]).toMatch(/^\.\/early-[\w-]+\.js$/)
    expect(code).toMatch(
      /^const \w+=process\.env\["INPUT_OIDC-AUDIENCE"\]\?\.trim\(\)\?\(await import\("\.\/early-[\w-]+\.js"\)/
    )
    expect(code).toContain('.startEarlyTokenSource(process.env):void 0')
    // ...which shares only a base chunk with the run, never the run itself,
    // so a keyless step starts it before the run is read, and the base
    // imports nothing.
    const early = dynamic[0]!.slice(2)
    const [base, ...more] = importsOf(early)
    expect(more).toEqual([])
    expect(base).toMatch(/^\.\/base-[\w-]+\.js$/)
    expect(importsOf(base!.slice(2))).toEqual([])
    // Then the run chunk: nothing else is defined in the entry.
    expect(new Set(dynamic.slice(1))).toEqual(
      new Set([expect.stringMatching(/^\.\/run-[\w-]+\.js$/)])
    )
    expect(importsOf(dynamic[1]!.slice(2))).toContain(base)
    expect(code).toMatch(/\w+\(\w+\(\),\w+\?\{\.\.\.\w+,\w+\}:void 0\);?$/)
  })

  it('post/index.js imports one chunk and only starts the run', () => {
    const entry = path.join('post', 'index.js')
    expect(importsOf(entry)).toHaveLength(1)
    const code = fs.readFileSync(path.join(DIST, entry), 'utf8')
    // One import, one call: nothing else is defined in the entry.
    expect(code.trim()).toMatch(
      /^import\{[^}]+\}from"\.\/[\w-]+\.js";\w+\(\w+\(\)\);?$/
    )
  })

  it(`${HELPER_ENTRY} imports one chunk and only starts the helper`, () => {
    expect(importsOf(HELPER_ENTRY)).toHaveLength(1)
    const code = fs.readFileSync(path.join(DIST, HELPER_ENTRY), 'utf8')
    expect(code.trim()).toMatch(
      /^import\{[^}]+\}from"\.\/[\w-]+\.js";await \w+\(process\.argv\.slice\(2\),process\.env\);?$/
    )
  })

  it('no chunk imports an entry', () => {
    for (const file of bundleFiles()) {
      if (ENTRIES.includes(file)) continue
      const dir = path.dirname(file)
      for (const spec of importsOf(file)) {
        expect(path.join(dir, spec)).not.toMatch(/(^|\/)index\.js$/)
      }
    }
  })

  it('a step that is not keyless never reads the early start', async () => {
    // A copy of dist/ without the early chunk still runs an API-key step.
    const copy = tempDir('dist-')
    fs.cpSync(DIST, copy, { recursive: true })
    const early = fs.readdirSync(copy).filter((f) => /^early-/.test(f))
    expect(early).toHaveLength(1)
    fs.rmSync(path.join(copy, early[0]!))
    const dirs = makeRunnerDirs()
    const run = await spawnCollect(
      actionNode(),
      [path.join(copy, 'index.js')],
      {
        env: runnerStepEnv(dirs, { 'api-key': 'sk-proj-bundle-test-0000' }),
        cwd: dirs.workspace
      }
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(fs.readFileSync(dirs.files.env, 'utf8')).toContain('CODEX_API_KEY')
  })

  it('importing any chunk has no side effect', async () => {
    // The helper's chunks too: only its entry runs it.
    const chunks = bundleFiles().filter((f) => !ENTRIES.includes(f))
    expect(chunks.some((f) => f.startsWith(`token-source${path.sep}`))).toBe(
      true
    )
    const dirs = makeRunnerDirs()
    try {
      const script = chunks
        .map((f) => `await import(${JSON.stringify(path.join(DIST, f))})`)
        .join(';')
      const run = await spawnCollect(
        actionNode(),
        ['--input-type=module', '-e', script],
        {
          env: runnerStepEnv(dirs, { 'api-key': 'sk-proj-bundle-test-0000' }),
          cwd: dirs.workspace
        }
      )
      expect(run).toEqual({ code: 0, stdout: '', stderr: '' })
      for (const file of Object.values(dirs.files)) {
        expect(fs.readFileSync(file, 'utf8')).toBe('')
      }
      expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
    } finally {
      fs.rmSync(dirs.root, { recursive: true, force: true })
    }
  })
})

describe('undici is never loaded by a run', () => {
  let backend: DevBackend
  beforeAll(async () => {
    backend = await startDevBackend()
  })
  afterAll(() => backend.close())

  /**
   * What a successful run loads; `after` runs before its directories go
   * (keyless: the post step, which stops the token source).
   */
  async function loadedBy(
    inputs: Record<string, string>,
    env: Record<string, string> = {},
    after?: (result: RunResult) => Promise<void>
  ): Promise<string[]> {
    const dirs = makeRunnerDirs()
    const trace = path.join(dirs.root, 'modules.txt')
    const tracer = path.join(dirs.root, 'trace-modules.cjs')
    fs.writeFileSync(tracer, TRACER)
    try {
      const result = await runAction({
        dirs,
        inputs,
        env: {
          ...env,
          NODE_OPTIONS: `--require ${tracer}`,
          TRACE_MODULES_FILE: trace
        }
      })
      expect(result.error).toBeUndefined()
      expect(result.code).toBe(0)
      await after?.(result)
      const loaded = fs.readFileSync(trace, 'utf8').split('\n')
      // The tracer ran: node's own modules are listed.
      expect(loaded).toContain('NativeModule fs')
      return loaded
    } finally {
      fs.rmSync(dirs.root, { recursive: true, force: true })
    }
  }

  it('with an API key', async () => {
    const loaded = await loadedBy({ 'api-key': 'sk-proj-bundle-test-0000' })
    expect(loaded.filter((m) => /undici/i.test(m))).toEqual([])
  })

  it('with an Agent Identity (JWKS and task registration over HTTP)', async () => {
    const minted = backend.mintAgentIdentity({ accountId: 'acct-bundle' })
    const loaded = await loadedBy({
      'agent-identity': minted.jwt,
      'chatgpt-base-url': backend.chatgptBaseUrl,
      'jwks-base-url': backend.jwksBaseUrl,
      'authapi-base-url': backend.authapiBaseUrl
    })
    expect(backend.requestsFor('register')).not.toHaveLength(0)
    expect(loaded.filter((m) => /undici/i.test(m))).toEqual([])
  })

  it('with workload identity (OIDC, exchange, a token source started): nor node:crypto', async () => {
    const audience = 'https://example.test/codex'
    const rule = backend.createFederationRule({ audiences: [audience] })
    const loaded = await loadedBy(
      {
        'federation-rule-id': rule.id,
        'oidc-audience': audience,
        'refresh-token-url': `${backend.url}/oauth/token`
      },
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: backend.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: backend.oidcRequestToken
      },
      async (result) => {
        expect((await runPost(result)).code).toBe(0)
      }
    )
    expect(backend.requestsFor('token-exchange')).not.toHaveLength(0)
    expect(loaded.filter((m) => /undici/i.test(m))).toEqual([])
    // Nothing in this mode needs it but the helper's nonce, which comes
    // from /dev/urandom: loading it would cost the step 5 to 10 ms.
    expect(loaded).toContain('NativeModule child_process')
    expect(loaded).not.toContain('NativeModule crypto')
  })
})

/** Runs a command with a small non-blocking stdout, read only later. */
const SLOW_STDOUT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'support',
  'slow-stdout.py'
)

/** Why the slow-stdout wrapper cannot run here, or undefined when it can. */
function slowStdoutUnavailable(): string | undefined {
  // Exactly what its pipe holds: it fills up (no wait for the time limit)
  // and no write is refused.
  const probe = spawnSync(SLOW_STDOUT, ['head', '-c', '4096', '/dev/zero'], {
    encoding: 'utf8'
  })
  if (probe.error) return probe.error.message
  return probe.status === 0 && probe.stderr === ''
    ? undefined
    : probe.stderr.trim() || `exit ${probe.status}`
}
const NO_SLOW_STDOUT = slowStdoutUnavailable()
if (NO_SLOW_STDOUT !== undefined) {
  process.stderr.write(
    `bundle.test.ts: SKIPPING the full-stdout test: slow-stdout.py cannot run here (${NO_SLOW_STDOUT})\n`
  )
}

describe("core's log lines when stdout refuses a write", () => {
  // The bundle sends core's stdout writes to fd 1 with fs.writeSync; when
  // fd 1 is a full non-blocking pipe that write fails with EAGAIN, and the
  // rest must go through process.stdout, which waits for room.
  const title =
    'all of them arrive, in order, after a small non-blocking pipe fills'
  const test = async (): Promise<void> => {
    // Its mask line alone is three times what the pipe holds.
    const key = `sk-proj-${'k'.repeat(3 * 4096)}`
    const normal = await runAction({ inputs: { 'api-key': key } })
    const slow = await runAction({
      inputs: { 'api-key': key },
      via: [SLOW_STDOUT]
    })
    expect(normal.code).toBe(0)
    expect(slow.code).toBe(0)
    // Empty: the pipe did fill up, so a write was refused.
    expect(slow.stderr).toBe('')
    expect(slow.stdout.length).toBeGreaterThan(3 * 4096)
    expect(slow.commands.map((c) => c.name)).toEqual(
      normal.commands.map((c) => c.name)
    )
    expect(slow.masks).toEqual(normal.masks)
    expect(slow.masks[0]).toBe(key)
    // The last line too, after the long one.
    expect(slow.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^Primed Codex home at .+ \(apikey\)\. CODEX_HOME is set for later steps\.$/
    )
  }
  if (NO_SLOW_STDOUT === undefined) it(title, test)
  else
    it.skip(
      `${title} (slow-stdout.py cannot run here: ${NO_SLOW_STDOUT})`,
      test
    )
})
