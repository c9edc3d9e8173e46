/**
 * `npm run demo`: the built action end to end against the loopback dev
 * backend, shown the way a workflow shows it.
 *
 * For each credential kind it starts a simulated runner job, runs
 * dist/index.js with the inputs a workflow step would pass, prints the step
 * log (masked as the runner masks it), the env exported to later steps, the
 * outputs, the primed Codex home, the job summary and the requests the
 * backend received, then runs dist/post/index.js and checks that it cleaned
 * up. Exits 1 with the reason when the action fails or misbehaves.
 *
 * `npm run demo -- identity pat` runs only the named scenarios.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  DEFAULT_FEDERATION_AUDIENCE,
  startDevBackend,
  type DevBackend,
  type LoggedRequest,
  type RouteName
} from './backend/index.js'
import {
  FAIL,
  filesIn,
  keyValueLines,
  markdownLines,
  modeString,
  OK,
  printIndented,
  redactAuthJson,
  rule,
  style
} from './demo-view.js'
import {
  describeActionNode,
  MAIN_ENTRY,
  POST_ENTRY,
  ROOT,
  RunnerJob,
  spawnCollect,
  type StepResult
} from './runner-sim.js'
import { describeFindings, scanRun } from '../__tests__/support/leak-scan.js'

const USES = '<owner>/codex-auth-action@v1'

/** One workflow step the demo runs. */
interface Scenario {
  name: string
  title: string
  /** Why this credential kind, in one line. */
  blurb: string
  inputs: Record<string, string>
  /** Job-level env the runner gives every step (keyless: the OIDC pair). */
  jobEnv?: Record<string, string>
  /** Workflow lines shown above the step (a job's `permissions:`). */
  shownJob?: string[]
  /** How each input is written in the workflow (secrets by reference). */
  shownInputs: Record<string, string>
  /** Routes the backend must see, in order. */
  expectedRoutes: RouteName[]
  /** Its last this many are sent at once: in any order among themselves. */
  concurrentRoutes?: number
  /** What those requests are, for the reader. */
  expectedText: string
  /** Secret values that must never appear unmasked (beyond the outputs). */
  secrets: () => string[]
  /** Checks against the backend's state after the main step. */
  proof?: (
    main: StepResult
  ) => [boolean, string][] | Promise<[boolean, string][]>
  /** Checks after the post step (beyond the home and RUNNER_TEMP). */
  postProof?: (main: StepResult) => [boolean, string][]
}

const DEMO_API_KEY = 'sk-demo-not-a-real-key-0123456789abcdef'
const DEMO_WORKSPACE = 'ws-demo-1234'

function scenarios(backend: DevBackend): Scenario[] {
  const identity = backend.mintAgentIdentity({
    runtimeId: 'agent-runtime-demo',
    accountId: DEMO_WORKSPACE
  })
  // Expires within Codex's 5-minute window, so the action refreshes it.
  const chatgpt = backend.mintChatgptAuth({
    accountId: 'ws-demo-5678',
    accessTokenExpiresIn: 120
  })
  const pat = backend.mintPersonalAccessToken({
    token: 'at-demo-not-a-real-token-0123456789',
    accountId: 'ws-demo-9012'
  })
  const federation = backend.createFederationRule({
    id: 'idpm_demo0123456789abcdef',
    audiences: [DEFAULT_FEDERATION_AUDIENCE],
    accountId: 'ws-demo-3456'
  })
  /** What a later step read from the token file, for the leak scan. */
  const readTokens: string[] = []
  return [
    {
      name: 'apikey',
      title: 'API key',
      blurb: 'No network: the key is restricted, primed and exported.',
      inputs: { 'api-key': DEMO_API_KEY },
      shownInputs: {
        'api-key': `\${{ secrets.OPENAI_API_KEY }}   # demo: ${DEMO_API_KEY}`
      },
      expectedRoutes: [],
      expectedText: 'none: an API key needs no network',
      secrets: () => [DEMO_API_KEY]
    },
    {
      name: 'identity',
      title: 'Agent Identity',
      blurb:
        'Workspace checked before any network call, JWT verified against ' +
        'the JWKS, one agent task registered.',
      inputs: {
        'access-token': identity.jwt,
        'forced-workspace-id': DEMO_WORKSPACE,
        'chatgpt-base-url': backend.chatgptBaseUrl,
        'authapi-base-url': backend.authapiBaseUrl,
        'jwks-base-url': backend.jwksBaseUrl
      },
      shownInputs: {
        'access-token':
          '${{ secrets.CODEX_AGENT_IDENTITY }}   # demo: a JWT minted by the dev backend',
        'forced-workspace-id': DEMO_WORKSPACE,
        'chatgpt-base-url': backend.chatgptBaseUrl,
        'authapi-base-url': backend.authapiBaseUrl,
        'jwks-base-url': backend.jwksBaseUrl
      },
      expectedRoutes: ['jwks', 'register'],
      expectedText: 'the JWKS, then one task registration',
      proof: (main) => {
        const tasks = backend.tasksFor(identity.runtimeId)
        const task = main.outputs['task-id']
        return [
          [
            tasks.length === 1 && tasks[0] === task,
            `the backend registered exactly one task, the task-id output (${task ?? 'none'})`
          ]
        ]
      },
      secrets: () => [
        identity.jwt,
        identity.privateKeyPkcs8V1B64,
        identity.privateKeyPkcs8V2B64
      ]
    },
    {
      name: 'chatgpt',
      title: 'ChatGPT login, refreshed',
      blurb:
        'The access token expires in 2 minutes: the action refreshes it ' +
        'once, as Codex would, and the refresh token rotates.',
      inputs: {
        'auth-json': JSON.stringify(chatgpt),
        'refresh-token-url': backend.refreshTokenUrl
      },
      shownInputs: {
        'auth-json':
          '${{ secrets.CODEX_AUTH_JSON }}   # demo: a login minted by the dev backend',
        'refresh-token-url': backend.refreshTokenUrl
      },
      expectedRoutes: ['refresh'],
      expectedText: 'one token refresh',
      proof: (main) => {
        const current = backend.chatgptTokens('ws-demo-5678')
        const authFile = main.outputs['auth-file']
        const primed = authFile
          ? (JSON.parse(fs.readFileSync(authFile, 'utf8')) as {
              tokens?: { refresh_token?: string }
            })
          : {}
        return [
          [
            backend.refreshTokenState(chatgpt.tokens.refresh_token) === 'used',
            'the refresh token in the secret is now used up (as the warning says)'
          ],
          [
            current !== undefined &&
              primed.tokens?.refresh_token === current.refreshToken,
            'the primed auth.json (auth-file output) holds its successor'
          ]
        ]
      },
      secrets: () => {
        const now = backend.chatgptTokens('ws-demo-5678')
        return [
          ...Object.values(chatgpt.tokens).filter(
            (v): v is string => typeof v === 'string' && v !== 'ws-demo-5678'
          ),
          ...(now ? [now.idToken, now.accessToken, now.refreshToken] : [])
        ]
      }
    },
    {
      name: 'pat',
      title: 'Personal access token',
      blurb: 'One whoami call names the account; then the workspace rule.',
      inputs: {
        'access-token': pat.token,
        'forced-workspace-id': pat.accountId,
        'authapi-base-url': backend.authapiBaseUrl
      },
      shownInputs: {
        'access-token': `\${{ secrets.CODEX_PAT }}   # demo: ${pat.token}`,
        'forced-workspace-id': pat.accountId,
        'authapi-base-url': backend.authapiBaseUrl
      },
      expectedRoutes: ['whoami'],
      expectedText: 'one whoami',
      secrets: () => [pat.token]
    },
    {
      name: 'keyless',
      title: 'Keyless CI: GitHub OIDC → workload identity',
      blurb:
        'No secret at all: the job’s OIDC token is exchanged once through ' +
        'a federation rule (a bad rule fails here), and a helper serves ' +
        'Codex a fresh OIDC token each time it reads the token file, until ' +
        'the post step stops it.',
      jobEnv: {
        // What `permissions: id-token: write` gives every step of a job.
        ACTIONS_ID_TOKEN_REQUEST_URL: backend.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: backend.oidcRequestToken
      },
      shownJob: ['permissions:', '  id-token: write   # the job’s OIDC token'],
      inputs: {
        'federation-rule-id': federation.id,
        'oidc-audience': DEFAULT_FEDERATION_AUDIENCE,
        'refresh-token-url': backend.refreshTokenUrl
      },
      shownInputs: {
        'federation-rule-id': federation.id,
        'oidc-audience': DEFAULT_FEDERATION_AUDIENCE,
        'refresh-token-url': `${backend.refreshTokenUrl}   # demo only: Codex itself always exchanges at auth.openai.com`
      },
      // The preflight exchange, and the token the helper keeps ready (the
      // step mints it alongside the exchange, once the first token came).
      expectedRoutes: ['oidc-token', 'oidc-token', 'token-exchange'],
      concurrentRoutes: 2,
      expectedText:
        'one OIDC token exchanged (the preflight), one more minted for the token file',
      proof: async (main) => {
        const file = main.env['OPENAI_IDENTITY_TOKEN_FILE'] ?? ''
        const first = await readTokenFile(file)
        const second = await readTokenFile(file)
        readTokens.push(...[first, second].filter((t) => t !== ''))
        const jtis = [first, second].map(jtiOf)
        const exchanged = new Set(
          backend.requestsFor('token-exchange').map((r) => r.jti)
        )
        return [
          [
            main.outputs['account-id'] === federation.accountId,
            `account-id is the rule’s workspace (${federation.accountId})`
          ],
          [
            isFifo(file),
            `OPENAI_IDENTITY_TOKEN_FILE is a FIFO in its own directory under RUNNER_TEMP`
          ],
          [
            jtis.every((jti) => jti !== undefined && !exchanged.has(jti)) &&
              jtis[0] !== jtis[1],
            `a later step read it twice: two never-used OIDC tokens (jti ${jtis.map((j) => j?.slice(0, 8) ?? '?').join('…, ')}…)`
          ]
        ]
      },
      postProof: (main) => {
        const source = tokenSourceOf(main)
        return [
          [
            source !== undefined && !isRunning(source.nonce),
            'the token source helper has stopped'
          ],
          [
            source !== undefined && !fs.existsSync(source.dir),
            'its token directory is gone'
          ]
        ]
      },
      secrets: () => [
        backend.oidcRequestToken,
        ...backend.oidcTokens().map((t) => t.jwt),
        ...backend.workloadAccessTokens().map((t) => t.token),
        ...readTokens
      ]
    }
  ]
}

/**
 * What a later step's `cat "$OPENAI_IDENTITY_TOKEN_FILE"` reads, or '' (a
 * FIFO with no writer would block, so the read has a time limit). Never
 * synchronous: the helper mints its next token from the dev backend in
 * this very process while `cat` waits.
 */
async function readTokenFile(file: string): Promise<string> {
  if (file === '') return ''
  const read = await spawnCollect('timeout', ['5', 'cat', file], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    cwd: ROOT
  })
  return read.code === 0 ? read.stdout.trim() : ''
}

function jtiOf(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')
    ) as { jti?: unknown }
    return typeof payload.jti === 'string' ? payload.jti : undefined
  } catch {
    return undefined
  }
}

function isFifo(file: string): boolean {
  try {
    return fs.statSync(file).isFIFO()
  } catch {
    return false
  }
}

/** The token source the main step saved in its cleanup plan. */
function tokenSourceOf(
  main: StepResult
): { nonce: string; dir: string } | undefined {
  try {
    const plan = JSON.parse(main.state['cleanup'] ?? '[]') as unknown
    const entry = (Array.isArray(plan) ? plan : []).find(
      (e: Record<string, unknown>) => e['kind'] === 'stop-token-source'
    ) as Record<string, unknown> | undefined
    return typeof entry?.['nonce'] === 'string' &&
      typeof entry['dir'] === 'string'
      ? { nonce: entry['nonce'], dir: entry['dir'] }
      : undefined
  } catch {
    return undefined
  }
}

/** True while a process whose command line holds `nonce` runs (Linux). */
function isRunning(nonce: string): boolean {
  if (!fs.existsSync('/proc/self/cmdline')) return false
  return fs.readdirSync('/proc').some((pid) => {
    if (!/^\d+$/.test(pid)) return false
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(nonce)
    } catch {
      return false
    }
  })
}

/** Runs one scenario; returns the problems found (empty: all good). */
async function runScenario(
  backend: DevBackend,
  scenario: Scenario,
  index: number,
  total: number
): Promise<string[]> {
  const problems: string[] = []
  const job = new RunnerJob(scenario.jobEnv ? { env: scenario.jobEnv } : {})
  liveJobs.add(job)
  const firstRequest = backend.requests.length
  try {
    console.log()
    console.log(rule(`${index}/${total}  ${scenario.title}`))
    console.log(style.dim(scenario.blurb))
    console.log()
    printIndented(
      [
        ...(scenario.shownJob ?? []),
        `- uses: ${USES}`,
        '  id: auth',
        '  with:',
        ...Object.entries(scenario.shownInputs).map(
          ([k, v]) => `    ${k}: ${v}`
        )
      ].map((line) => style.cyan(line))
    )

    const main = await job.runMain(scenario.inputs)
    printStep(`Run ${USES}`, main)
    // Everything below is shown through the runner's masks.
    const mask = (text: string): string => job.masker.apply(text)

    if (main.code === 0) {
      section('Env for later steps (GITHUB_ENV)')
      printIndented(
        keyValueLines(Object.entries(main.env).map(([k, v]) => [k, show(v)]))
      )
      section('Outputs (steps.auth.outputs)')
      printIndented(
        keyValueLines(
          Object.entries(main.outputs).map(([k, v]) => [k, show(v)])
        )
      )
      printPrimedHome(main.outputs['codex-home'], mask)
      section('Job summary (GITHUB_STEP_SUMMARY)')
      printIndented(markdownLines(mask(main.summary)))
    } else {
      problems.push(
        `the main step exited ${main.code}: ${main.errors.join('; ') || 'no ::error:: message'}`
      )
    }

    section('Requests the dev backend received')
    const requests = backend.requests.slice(firstRequest)
    printRequests(requests, mask)
    const routes = requests.map((r) => r.route)
    const expected = scenario.expectedRoutes
    if (main.code === 0) {
      if (sameRoutes(routes, expected, scenario.concurrentRoutes ?? 0)) {
        console.log(`  ${OK} expected ${scenario.expectedText}`)
      } else {
        const message = `expected ${scenario.expectedText}, got ${routes.join(', ') || 'none'}`
        console.log(`  ${FAIL} ${message}`)
        problems.push(message)
      }
      for (const [ok, text] of (await scenario.proof?.(main)) ?? []) {
        console.log(`  ${ok ? OK : FAIL} ${text}`)
        if (!ok) problems.push(`not true: ${text}`)
      }
    }

    const post = await job.runPost()
    printStep(`Post Run ${USES}`, post)
    if (post.code !== 0) problems.push(`the post step exited ${post.code}`)
    problems.push(...checkCleanup(job, main))
    for (const [ok, text] of scenario.postProof?.(main) ?? []) {
      console.log(`  ${ok ? OK : FAIL} ${text}`)
      if (!ok) problems.push(`not true after the post step: ${text}`)
    }

    const leaks = findLeaks(scenario, main, post)
    if (leaks.length === 0) {
      console.log(
        `  ${OK} no secret appears unmasked in the logs, env, outputs, state or summary`
      )
    } else {
      for (const leak of leaks) console.log(`  ${FAIL} ${leak}`)
      problems.push(...leaks)
    }
    return problems

    /** A value as a later step's log would show it. */
    function show(value: string): string {
      return value === '' ? style.dim("''") : mask(value)
    }
  } finally {
    job.dispose()
    liveJobs.delete(job)
  }
}

function section(title: string): void {
  console.log()
  console.log(style.bold(title))
}

/** The step header, its log lines and how it ended. */
function printStep(title: string, step: StepResult): void {
  const took = `${step.durationMs.toFixed(0)} ms`
  const outcome =
    step.code === 0
      ? style.green(`exit 0, ${took}`)
      : style.red(`exit ${step.code}, ${took}`)
  console.log()
  console.log(
    `${style.bold(title)}  ${style.dim('(')}${outcome}${style.dim(')')}`
  )
  const lines = step.log.length > 0 ? step.log : [style.dim('(no output)')]
  for (const line of lines) {
    const colored = line.startsWith('Error: ')
      ? style.red(line)
      : line.startsWith('Warning: ')
        ? style.yellow(line)
        : line
    console.log(`${style.dim('│')} ${colored}`)
  }
}

/** The primed home's files; auth.json with its secret values as `***`. */
function printPrimedHome(
  home: string | undefined,
  mask: (text: string) => string
): void {
  if (!home || !fs.existsSync(home)) return
  section(`Primed Codex home ${home}  ${style.dim(modeString(home))}`)
  for (const name of filesIn(home)) {
    const file = path.join(home, name)
    const text = fs.readFileSync(file, 'utf8')
    const mode = style.dim(modeString(file))
    if (name === 'auth.json') {
      console.log(
        `  ${name}  ${mode}  ${style.dim('secret values shown as ***')}`
      )
      printIndented(mask(redactAuthJson(text)).split('\n'), '    ')
    } else if (name === 'config.toml') {
      console.log(`  ${name}  ${mode}`)
      printIndented(mask(text.trimEnd()).split('\n'), '    ')
    } else if (name === '.codex-auth-action.json') {
      console.log(
        `  ${name}  ${mode}  ${style.dim('marker: a later run never reads this home as a source')}`
      )
    } else {
      console.log(`  ${name}  ${mode}`)
    }
  }
}

function printRequests(
  requests: LoggedRequest[],
  mask: (text: string) => string
): void {
  if (requests.length === 0) {
    console.log(style.dim('  (none)'))
    return
  }
  const width = Math.max(...requests.map((r) => r.method.length))
  const pathWidth = Math.max(...requests.map((r) => r.path.length))
  for (const r of requests) {
    const auth =
      r.headers['authorization'] === undefined
        ? 'no Authorization'
        : `Authorization: ${r.headers['authorization'].split(' ')[0]} ***`
    console.log(
      `  ${r.method.padEnd(width)} ${mask(r.path).padEnd(pathWidth)}  ` +
        `${r.status ?? '-'}  ${style.dim(`${r.route}, ${auth}`)}`
    )
  }
}

/** Proof that the post step removed what the main step created. */
function checkCleanup(job: RunnerJob, main: StepResult): string[] {
  const problems: string[] = []
  const home = main.outputs['codex-home']
  if (home) {
    if (fs.existsSync(home)) {
      problems.push(
        `the primed home ${home} is still there after the post step`
      )
      console.log(`  ${FAIL} ${home} still exists`)
    } else {
      console.log(`  ${OK} the primed home is gone`)
    }
  }
  const left = filesIn(job.runnerTemp)
  if (left.length === 0) {
    console.log(`  ${OK} RUNNER_TEMP is empty`)
  } else {
    problems.push(`RUNNER_TEMP still holds ${left.join(', ')}`)
    console.log(`  ${FAIL} RUNNER_TEMP still holds ${left.join(', ')}`)
  }
  return problems
}

/**
 * Secrets that would be readable in the workflow: a known secret, or a
 * value the action exported as a secret (the Authorization header, the API
 * key env var), in any form the leak scanner of the tests knows, in
 * anything either step showed or wrote after the runner's masks.
 */
function findLeaks(
  scenario: Scenario,
  main: StepResult,
  post: StepResult
): string[] {
  const values = new Set(scenario.secrets())
  for (const value of [
    main.outputs['authorization'],
    main.env['CODEX_AUTHORIZATION'],
    main.env['CODEX_API_KEY']
  ]) {
    if (value) values.add(value)
  }
  const secrets = [...values].map((value, i) => ({
    label: `secret ${i + 1}`,
    value
  }))
  return [main, post].flatMap((step) =>
    describeFindings(scanRun(step, secrets).findings).map(
      (finding) => `${step.entry} step: ${finding}`
    )
  )
}

async function main(): Promise<number> {
  for (const entry of [MAIN_ENTRY, POST_ENTRY]) {
    if (!fs.existsSync(entry)) {
      console.error(
        `${path.relative(ROOT, entry)} is missing: run \`npm run package\` first.`
      )
      return 1
    }
  }
  const backend = await startDevBackend()
  try {
    const all = scenarios(backend)
    const wanted = process.argv.slice(2)
    const unknown = wanted.filter((w) => !all.some((s) => s.name === w))
    if (unknown.length > 0) {
      console.error(
        `Unknown scenario ${unknown.join(', ')}; choose from ${all.map((s) => s.name).join(', ')}.`
      )
      return 1
    }
    const chosen = wanted.length
      ? all.filter((s) => wanted.includes(s.name))
      : all
    console.log(style.bold('Codex Auth Action demo'))
    console.log(
      `The built action (dist/index.js, then dist/post/index.js) as a GitHub runner runs it,\n` +
        `against the dev backend on ${backend.url} (loopback only: nothing leaves this machine).\n` +
        `Node ${describeActionNode()}; Actions runs node24 (ACTION_NODE=<path to node> picks another).\n` +
        style.dim(
          'Logs are masked only by the action’s own ::add-mask:: commands (a real runner\n' +
            'also masks secrets.* values by itself); *** marks a masked value.'
        )
    )
    const failures: string[] = []
    let index = 0
    for (const scenario of chosen) {
      const problems = await runScenario(
        backend,
        scenario,
        ++index,
        chosen.length
      )
      for (const p of problems) failures.push(`${scenario.title}: ${p}`)
    }
    console.log()
    if (failures.length > 0) {
      console.log(style.red(style.bold('Demo failed:')))
      for (const f of failures) console.log(`  ${FAIL} ${f}`)
      return 1
    }
    console.log(
      `${OK} ${style.bold('Demo complete:')} ${chosen.map((s) => s.title).join('; ')}.`
    )
    return 0
  } finally {
    await backend.close()
  }
}

// A reader that stops early (`npm run demo | head`, Ctrl-C) must not leave
// runner directories behind in the temp dir.
const liveJobs = new Set<RunnerJob>()
process.on('exit', () => {
  for (const job of liveJobs) job.dispose()
})
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143]
] as const) {
  process.on(signal, () => process.exit(code))
}
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})

process.exitCode = await main()

/** `routes` is `expected`, in order but for its last `concurrent`. */
function sameRoutes(
  routes: readonly string[],
  expected: readonly string[],
  concurrent: number
): boolean {
  const head = expected.length - concurrent
  const sorted = (list: readonly string[]): string => [...list].sort().join()
  return (
    routes.length === expected.length &&
    routes.slice(0, head).join() === expected.slice(0, head).join() &&
    sorted(routes.slice(head)) === sorted(expected.slice(head))
  )
}
