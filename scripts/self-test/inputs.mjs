// The inputs of one self-test job (.github/workflows/self-test.yml): waits
// for the dev backend's JSON file, then writes, as step outputs, the inputs
// a user would pass for one credential kind, with the backend's URLs.
//
//   node scripts/self-test/inputs.mjs <kind> <backend-json-file>
//
// The credentials are the dev backend's fakes. They are masked here the way
// the runner masks a `secrets.*` value (the whole value, nothing derived
// from it), so the job's log shows what the action masks by itself.
import { Buffer } from 'node:buffer'
import console from 'node:console'
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import process from 'node:process'
import { setTimeout as sleep } from 'node:timers/promises'
import { KINDS } from './kinds.mjs'

const WAIT_MS = 60_000

const [kind, jsonFile] = process.argv.slice(2)
if (!KINDS.includes(kind ?? '') || !jsonFile) {
  console.error(
    `Usage: node scripts/self-test/inputs.mjs <${KINDS.join('|')}> <backend-json-file>`
  )
  process.exit(2)
}

const deadline = Date.now() + WAIT_MS
while (!existsSync(jsonFile)) {
  if (Date.now() > deadline) {
    console.error(`The dev backend wrote no ${jsonFile} in ${WAIT_MS} ms.`)
    process.exit(1)
  }
  await sleep(200)
}
const backend = JSON.parse(readFileSync(jsonFile, 'utf8'))
const { agentIdentity, personalAccessToken, chatgptAuth } = backend.demo

/** Step outputs: the action's inputs, then what the check step expects. */
const byKind = {
  apikey: () => ({
    'api-key': `sk-selftest-${randomBytes(16).toString('hex')}`
  }),
  agentIdentity: () => ({
    'access-token': agentIdentity.jwt,
    'forced-workspace-id': agentIdentity.accountId,
    'chatgpt-base-url': backend.chatgptBaseUrl,
    'authapi-base-url': backend.authapiBaseUrl,
    'jwks-base-url': backend.jwksBaseUrl,
    'expect-account-id': agentIdentity.accountId,
    'expect-runtime-id': agentIdentity.runtimeId
  }),
  personalAccessToken: () => ({
    'access-token': personalAccessToken.token,
    'forced-workspace-id': personalAccessToken.accountId,
    'authapi-base-url': backend.authapiBaseUrl,
    'expect-account-id': personalAccessToken.accountId
  }),
  chatgpt: () => ({
    'auth-json': Buffer.from(JSON.stringify(chatgptAuth)).toString('base64'),
    'refresh-token-url': backend.refreshTokenUrl,
    'expect-account-id': chatgptAuth.tokens.account_id
  }),
  // The backend plays GitHub's OIDC service too (started with --keyless):
  // the job-oidc-* pair is the ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN the
  // action step gets as env, as `permissions: id-token: write` would give.
  workloadIdentity: () => {
    const keyless = backend.keyless
    if (!keyless) {
      throw new Error(
        'workloadIdentity needs the dev backend started with --keyless'
      )
    }
    return {
      'federation-rule-id': keyless.federationRuleId,
      'oidc-audience': keyless.audience,
      'refresh-token-url': keyless.tokenUrl,
      'job-oidc-request-url': keyless.oidcRequestUrl,
      'job-oidc-request-token': keyless.oidcRequestToken,
      'expect-account-id': keyless.accountId
    }
  }
}
const outputs = byKind[kind]()

for (const name of [
  'api-key',
  'access-token',
  'auth-json',
  'job-oidc-request-token'
]) {
  if (outputs[name]) console.log(`::add-mask::${outputs[name]}`)
}
const lines = Object.entries(outputs).map(([name, value]) => {
  if (/[\r\n]/.test(value)) throw new Error(`${name} spans lines`)
  return `${name}=${value}\n`
})
if (!process.env.GITHUB_OUTPUT) {
  console.error('GITHUB_OUTPUT is not set: run this as a workflow step.')
  process.exit(1)
}
appendFileSync(process.env.GITHUB_OUTPUT, lines.join(''))
console.log(
  `Inputs for ${kind}: ${Object.keys(outputs)
    .filter((n) => !n.startsWith('expect-') && !n.startsWith('job-'))
    .join(', ')}`
)
