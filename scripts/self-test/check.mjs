// What a user relies on after the action's step, checked from a later step
// of the same job (.github/workflows/self-test.yml): the outputs, the env
// this step sees, and a Codex home `codex exec` can use as it is.
//
//   AUTH_OUTPUTS='${{ toJSON(steps.auth.outputs) }}' \
//     node scripts/self-test/check.mjs <kind>
//
// Optional env: EXPECT_ACCOUNT_ID, EXPECT_RUNTIME_ID, FORCED_WORKSPACE_ID,
// FEDERATION_RULE_ID, and the URLs the step was given (CHATGPT_BASE_URL,
// AUTHAPI_BASE_URL, JWKS_BASE_URL, REFRESH_TOKEN_URL). Prints each check; exits 1 when one fails. Its last
// lines name the kind and the primed home, for the job that reads the logs
// after the post step (scripts/self-test/check-log.mjs).
import { spawnSync } from 'node:child_process'
import console from 'node:console'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, relative } from 'node:path'
import process from 'node:process'
import { URLSearchParams } from 'node:url'

const kind = process.argv[2] ?? ''
const env = process.env
const outputs = JSON.parse(env.AUTH_OUTPUTS ?? '{}')
const failures = []

function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures.push(what)
}

function inside(dir, file) {
  if (!dir) return false
  const rel = relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

function mode(file) {
  return existsSync(file) ? statSync(file).mode & 0o777 : undefined
}

// Outputs.
check(outputs['auth-mode'] === kind, `auth-mode output is ${kind}`)
const scheme = kind === 'agentIdentity' ? 'AgentAssertion ' : 'Bearer '
const authorization = outputs.authorization ?? ''
check(
  authorization.startsWith(scheme) && authorization.length > scheme.length,
  `authorization output is a ${scheme.trim()} header`
)
check(outputs.fedramp === 'false', 'fedramp output is false')
if (env.EXPECT_ACCOUNT_ID) {
  check(
    outputs['account-id'] === env.EXPECT_ACCOUNT_ID,
    "account-id output is the credential's workspace"
  )
}
if (kind === 'agentIdentity') {
  check(
    outputs['agent-runtime-id'] === env.EXPECT_RUNTIME_ID,
    "agent-runtime-id output is the identity's runtime"
  )
  check(Boolean(outputs['task-id']), 'task-id output names the registered task')
}

// The env a later step sees.
const home = outputs['codex-home'] ?? ''
check(home !== '' && env.CODEX_HOME === home, 'CODEX_HOME is the primed home')
check(
  env.CODEX_AUTHORIZATION === authorization,
  'CODEX_AUTHORIZATION is the authorization output'
)
if (kind === 'apikey') {
  check(
    Boolean(env.CODEX_API_KEY) &&
      authorization === `Bearer ${env.CODEX_API_KEY}`,
    'CODEX_API_KEY is the key the header carries'
  )
} else if (kind === 'workloadIdentity') {
  check(env.CODEX_API_KEY === undefined, 'no CODEX_API_KEY')
} else {
  check(env.CODEX_API_KEY === undefined, 'no CODEX_API_KEY')
  check(
    env.CODEX_CHATGPT_ACCOUNT_ID === outputs['account-id'],
    'CODEX_CHATGPT_ACCOUNT_ID is the account-id output'
  )
}
const overrides = {
  agentIdentity: {
    CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: env.AUTHAPI_BASE_URL,
    CODEX_AGENT_IDENTITY_JWKS_BASE_URL: env.JWKS_BASE_URL
  },
  personalAccessToken: { CODEX_AUTHAPI_BASE_URL: env.AUTHAPI_BASE_URL },
  chatgpt: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: env.REFRESH_TOKEN_URL }
}
for (const [name, url] of Object.entries(overrides[kind] ?? {})) {
  check(
    Boolean(url) && env[name] === url,
    `${name} points later Codex runs at the dev backend`
  )
}

// A Codex home `codex exec` reads as it is.
check(
  inside(env.RUNNER_TEMP, home) && !inside(env.GITHUB_WORKSPACE, home),
  'the primed home is under RUNNER_TEMP, outside the workspace'
)
check(mode(home) === 0o700, 'the primed home is 0700')
const authFile = join(home, 'auth.json')
const configFile = join(home, 'config.toml')
if (kind === 'workloadIdentity') {
  await checkKeyless()
} else {
  check(
    outputs['auth-file'] === authFile,
    'auth-file output is <codex-home>/auth.json'
  )
  check(mode(authFile) === 0o600, 'auth.json is there, 0600')
  check(mode(configFile) === 0o600, 'config.toml is there, 0600')
  if (existsSync(authFile) && existsSync(configFile)) {
    const auth = JSON.parse(readFileSync(authFile, 'utf8'))
    const config = readFileSync(configFile, 'utf8')
    const authMode =
      kind === 'apikey' ? 'apikey' : kind === 'chatgpt' ? 'chatgpt' : undefined
    if (authMode)
      check(auth.auth_mode === authMode, `auth.json auth_mode is ${authMode}`)
    check(
      /^cli_auth_credentials_store = "file"$/m.test(config),
      'config.toml makes Codex read auth.json'
    )
    if (env.FORCED_WORKSPACE_ID) {
      check(
        config.includes(env.FORCED_WORKSPACE_ID),
        'config.toml carries the forced workspace'
      )
    }
  }
}

/**
 * Keyless: no auth.json, Codex's workload identity env, and a token file
 * that hands out a fresh OIDC token at every read, one the rule accepts.
 */
async function checkKeyless() {
  check(!outputs['auth-file'], 'auth-file output is empty')
  check(!existsSync(authFile), 'no auth.json primed')
  check(mode(configFile) === 0o600, 'config.toml is there, 0600')
  const config = existsSync(configFile) ? readFileSync(configFile, 'utf8') : ''
  check(
    /^\[shell_environment_policy\]$/m.test(config),
    'config.toml sets a shell_environment_policy for model-run commands'
  )
  check(
    Boolean(env.FEDERATION_RULE_ID) &&
      env.OPENAI_FEDERATION_RULE_ID === env.FEDERATION_RULE_ID,
    'OPENAI_FEDERATION_RULE_ID is the federation-rule-id input'
  )
  check(
    env.OPENAI_IDENTITY_TOKEN_SOURCE === 'file',
    'OPENAI_IDENTITY_TOKEN_SOURCE is file'
  )
  const file = env.OPENAI_IDENTITY_TOKEN_FILE ?? ''
  check(
    file !== '' && outputs['identity-token-file'] === file,
    'OPENAI_IDENTITY_TOKEN_FILE is the identity-token-file output'
  )
  check(
    inside(env.RUNNER_TEMP, file) && mode(dirname(file)) === 0o700,
    'the token file is in a 0700 directory under RUNNER_TEMP'
  )
  check(
    existsSync(file) && statSync(file).isFIFO(),
    'the token file is a FIFO (identity-token-file-mode fifo)'
  )
  // Each read is one Codex exchange: two reads, two never-used tokens.
  const reads = [readToken(file), readToken(file)]
  check(
    reads.every((t) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t)) &&
      reads[0] !== reads[1],
    'two reads of the token file give two different JWTs'
  )
  if (!env.REFRESH_TOKEN_URL || !reads[0]) return
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: reads[0],
    federation_rule_id: env.FEDERATION_RULE_ID ?? ''
  })
  const reply = await globalThis.fetch(env.REFRESH_TOKEN_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: '*/*'
    },
    body: form.toString()
  })
  const body = await reply.json().catch(() => ({}))
  check(
    reply.status === 200 && body.chatgpt_account_id === env.EXPECT_ACCOUNT_ID,
    `a token read from it exchanges as Codex does (HTTP ${reply.status}) for the rule's account`
  )
}

/** What `cat` reads from the token file; '' after 10 s without a writer. */
function readToken(file) {
  const read = spawnSync('timeout', ['10', 'cat', file], { encoding: 'utf8' })
  return read.status === 0 ? read.stdout.trim() : ''
}

// For the log check after the post step.
console.log(`self-test kind: ${kind}`)
console.log(`self-test primed home: ${home}`)
if (failures.length > 0) {
  console.error(`${failures.length} check(s) failed for ${kind}.`)
  process.exit(1)
}
