/**
 * The self-test workflow (.github/workflows/self-test.yml), rehearsed on a
 * simulated runner: the dev backend started from its command line with
 * `--json-file`, the workflow's own scripts (scripts/self-test/) around the
 * built action, and the log check the workflow's last job runs on the
 * finished jobs' logs. GitHub runs the same steps; this shows the scripts
 * and the action agree before a workflow ever runs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  parseFileCommands,
  parseWorkflowCommand,
  ROOT,
  RunnerJob,
  spawnCollect
} from '../../dev/runner-sim.js'

const KINDS = [
  'apikey',
  'agentIdentity',
  'personalAccessToken',
  'chatgpt',
  'workloadIdentity'
] as const
const script = (name: string): string =>
  path.join(ROOT, 'scripts/self-test', name)
const ECHO = 'CODEX_AUTHORIZATION as a later step prints it: '

/**
 * The inputs a `uses: ./` step passes (the matrix job's, or the keyless
 * job's), each from the step output of the same name (empty when that kind
 * has none, as on GitHub).
 */
function workflowInputNames(kind: (typeof KINDS)[number]): string[] {
  const workflow = fs.readFileSync(
    path.join(ROOT, '.github/workflows/self-test.yml'),
    'utf8'
  )
  const steps = [
    ...workflow.matchAll(/uses: \.\/\n\s+with:\n((?:\s+[\w-]+: .*\n)+)/g)
  ]
  expect(steps).toHaveLength(2)
  const step = steps[kind === 'workloadIdentity' ? 1 : 0]
  const names = [
    ...(step?.[1] ?? '').matchAll(
      /([\w-]+): \$\{\{ steps\.given\.outputs\.([\w-]+) \}\}/g
    )
  ]
  for (const [, input, output] of names) expect(output).toBe(input)
  return names.map((m) => m[1]!)
}

let tmp: string
let backend: ChildProcess
let backendJson: string

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-self-test-'))
  backendJson = path.join(tmp, 'dev-backend.json')
  // As the workflow starts it: in the background, found through its file.
  backend = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'dev/backend/cli.ts'),
      '--keyless',
      '--json-file',
      backendJson
    ],
    { stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } }
  )
})

afterAll(async () => {
  backend.kill('SIGTERM')
  if (backend.exitCode === null) await once(backend, 'exit')
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** A timestamp as GitHub's job logs put before every line. */
const stamp = (line: string): string => `2026-12-05T03:04:05.6789012Z ${line}`

/** Runs a node script as a `run:` step of the job; returns its log lines. */
async function runStep(
  job: RunnerJob,
  args: string[],
  env: Record<string, string> = {}
): Promise<{ code: number | null; log: string[]; outputs: string }> {
  const output = path.join(job.root, `output-${path.basename(args[0]!)}`)
  fs.writeFileSync(output, '')
  const result = await spawnCollect(process.execPath, args, {
    env: { ...job.env, GITHUB_OUTPUT: output, ...env },
    cwd: ROOT
  })
  const log: string[] = []
  for (const line of `${result.stdout}${result.stderr}`.split('\n')) {
    const command = parseWorkflowCommand(line)
    if (command?.name === 'add-mask') job.masker.add(command.value)
    else if (line !== '') log.push(job.masker.apply(line))
  }
  return { code: result.code, log, outputs: fs.readFileSync(output, 'utf8') }
}

/** One self-test job, step by step; returns its log as GitHub would. */
async function runJob(kind: (typeof KINDS)[number]): Promise<string[]> {
  const job = new RunnerJob()
  try {
    const inputs = await runStep(job, [script('inputs.mjs'), kind, backendJson])
    expect(inputs.code).toBe(0)
    const given = parseFileCommands(inputs.outputs)
    const actionInputs = Object.fromEntries(
      workflowInputNames(kind).map((name) => [name, given[name] ?? ''])
    )
    // Every input the script gives is one the workflow passes on.
    expect(Object.keys(actionInputs)).toEqual(
      expect.arrayContaining(
        Object.keys(given).filter(
          (n) => !n.startsWith('expect-') && !n.startsWith('job-')
        )
      )
    )
    // The keyless step's own `env:`: the dev backend's OIDC request pair.
    const oidcEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: given['job-oidc-request-url'],
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: given['job-oidc-request-token']
    }
    for (const [name, value] of Object.entries(oidcEnv)) {
      if (value) job.env[name] = value
    }
    const main = await job.runMain(actionInputs)
    for (const name of Object.keys(oidcEnv)) delete job.env[name]
    expect(main.errors).toEqual([])
    expect(main.code).toBe(0)
    const check = await runStep(job, [script('check.mjs'), kind], {
      AUTH_OUTPUTS: JSON.stringify(main.outputs),
      EXPECT_ACCOUNT_ID: given['expect-account-id'] ?? '',
      EXPECT_RUNTIME_ID: given['expect-runtime-id'] ?? '',
      FORCED_WORKSPACE_ID: given['forced-workspace-id'] ?? '',
      AUTHAPI_BASE_URL: given['authapi-base-url'] ?? '',
      JWKS_BASE_URL: given['jwks-base-url'] ?? '',
      REFRESH_TOKEN_URL: given['refresh-token-url'] ?? '',
      FEDERATION_RULE_ID: given['federation-rule-id'] ?? ''
    })
    expect(check.log.filter((l) => l.startsWith('FAIL'))).toEqual([])
    expect(check.code).toBe(0)
    if (kind === 'workloadIdentity') {
      // The token file was read and what it served was exchanged.
      expect(check.log).toEqual(
        expect.arrayContaining([
          'ok   the token file is a FIFO (identity-token-file-mode fifo)',
          'ok   two reads of the token file give two different JWTs',
          expect.stringMatching(
            /^ok {3}a token read from it exchanges as Codex does \(HTTP 200\)/
          )
        ])
      )
    }
    const echoed = job.masker.apply(`${ECHO}${job.env['CODEX_AUTHORIZATION']}`)
    const post = await job.runPost()
    expect(post.code).toBe(0)
    return [...inputs.log, ...main.log, ...check.log, echoed, ...post.log].map(
      stamp
    )
  } finally {
    job.dispose()
  }
}

async function checkLogs(
  logs: string[][]
): Promise<{ code: number | null; out: string }> {
  const files = logs.map((lines, i) => {
    const file = path.join(tmp, `job-${i}.log`)
    fs.writeFileSync(file, `${lines.join('\n')}\n`)
    return file
  })
  const { code, stdout, stderr } = await spawnCollect(
    process.execPath,
    [script('check-log.mjs'), ...files],
    { env: { PATH: process.env['PATH'] ?? '' }, cwd: ROOT }
  )
  return { code, out: stdout + stderr }
}

describe('the self-test workflow, rehearsed', () => {
  const logs: string[][] = []

  beforeAll(async () => {
    for (const kind of KINDS) logs.push(await runJob(kind))
  })

  it('passes every check of every credential kind', async () => {
    const { code, out } = await checkLogs(logs)
    expect(out).not.toContain('expected one log')
    expect(code).toBe(0)
    for (const kind of KINDS) {
      expect(out).toContain(`ok   ${kind}: post step cleaned up, log masked`)
    }
  })

  it('the log check fails on a credential in clear', async () => {
    const leaked = logs.map((lines) => [...lines])
    leaked[1]!.push(stamp('debug: Bearer at-Abcdefghijklmnop1234567890xyz'))
    const { code, out } = await checkLogs(leaked)
    expect(code).toBe(1)
    expect(out).toMatch(
      /agentIdentity .*: line \d+: an access or refresh token in clear/
    )
  })

  it('the log check fails when the post step did not clean up', async () => {
    const kept = logs.map((lines) =>
      lines.filter((l) => !l.includes('Removed the primed Codex home'))
    )
    const { code, out } = await checkLogs(kept)
    expect(code).toBe(1)
    expect(out).toContain('the post step did not report removing')
  })

  it('the log check fails when a job is missing', async () => {
    const { code, out } = await checkLogs(logs.slice(1))
    expect(code).toBe(1)
    expect(out).toContain('expected one log of the apikey job, found 0')
  })
})
