/**
 * Runs the dev backend from a shell:
 *
 *   npx tsx dev/backend/cli.ts [--port N] [--https] [--https-port N] [--log]
 *     [--json-file PATH]
 *     [--keyless [--keyless-audience AUD] [--keyless-expires-in S]]
 *     [--workspace-backend-origin URL]
 *
 * Prints one JSON line (URLs plus a freshly minted demo agent identity,
 * ChatGPT auth.json and PAT; with `--keyless` also the OIDC request URL and
 * token and a federation rule), then serves until SIGINT or SIGTERM. With
 * `--log`, each request is printed to stderr as a JSON line. With
 * `--json-file`, the same JSON is also written to PATH (mode 0600), complete
 * once the file exists: a script that started the backend in the background
 * (the self-test workflow) waits for the file instead of parsing a log.
 */
import { renameSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  DEFAULT_FEDERATION_AUDIENCE,
  startDevBackend,
  type DevBackend
} from './index.js'

const USAGE =
  'Usage: npx tsx dev/backend/cli.ts [--port N] [--https] [--https-port N] [--log] [--json-file PATH] [--keyless [--keyless-audience AUD] [--keyless-expires-in S]] [--workspace-backend-origin URL]'

interface CliOptions {
  port: number
  https: boolean
  httpsPort: number
  log: boolean
  jsonFile?: string
  /** Keyless CI: a federation rule for the OIDC service, when set. */
  keyless?: { audience: string; expiresIn: number }
  workspaceBackendOrigin?: string
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      https: { type: 'boolean', default: false },
      'https-port': { type: 'string', default: '0' },
      log: { type: 'boolean', default: false },
      'json-file': { type: 'string' },
      keyless: { type: 'boolean', default: false },
      'keyless-audience': {
        type: 'string',
        default: DEFAULT_FEDERATION_AUDIENCE
      },
      'keyless-expires-in': { type: 'string', default: '3600' },
      'workspace-backend-origin': { type: 'string' },
      help: { type: 'boolean', default: false }
    },
    strict: true
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  return {
    port: parsePort(values.port, '--port'),
    https: values.https,
    httpsPort: parsePort(values['https-port'], '--https-port'),
    log: values.log,
    ...(values['json-file'] ? { jsonFile: values['json-file'] } : {}),
    ...(values.keyless
      ? {
          keyless: {
            audience: values['keyless-audience'],
            expiresIn: parseExpiresIn(values['keyless-expires-in'])
          }
        }
      : {}),
    ...(values['workspace-backend-origin'] === undefined
      ? {}
      : { workspaceBackendOrigin: values['workspace-backend-origin'] })
  }
}

function parseExpiresIn(text: string): number {
  const seconds = Number(text)
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new Error(
      `Invalid --keyless-expires-in '${text}'. Expected 1 to 3600 seconds.`
    )
  }
  return seconds
}

function parsePort(text: string, flag: string): number {
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid ${flag} '${text}'. Expected 0 to 65535.`)
  }
  return port
}

/** The keyless part of the JSON line: what a runner's env and inputs need. */
function describeKeyless(
  backend: DevBackend,
  keyless: NonNullable<CliOptions['keyless']>
): Record<string, unknown> {
  const rule = backend.createFederationRule({
    audiences: [keyless.audience],
    expiresIn: keyless.expiresIn
  })
  return {
    oidcRequestUrl: backend.oidcRequestUrl,
    oidcRequestToken: backend.oidcRequestToken,
    oidcIssuer: backend.oidcIssuer,
    federationRuleId: rule.id,
    audience: keyless.audience,
    accountId: rule.accountId,
    expiresIn: rule.expiresIn,
    tokenUrl: backend.refreshTokenUrl
  }
}

/** The one JSON line a script reads to find the backend and its demo data. */
function describe(
  backend: DevBackend,
  options: CliOptions
): Record<string, unknown> {
  const identity = backend.mintAgentIdentity({ email: 'demo@dev-backend.test' })
  const chatgptAuth = backend.mintChatgptAuth({
    email: 'demo@dev-backend.test'
  })
  const pat = backend.mintPersonalAccessToken({
    email: 'demo@dev-backend.test'
  })
  return {
    url: backend.url,
    chatgptBaseUrl: backend.chatgptBaseUrl,
    authapiBaseUrl: backend.authapiBaseUrl,
    jwksBaseUrl: backend.jwksBaseUrl,
    jwksUrl: backend.jwksUrl,
    refreshTokenUrl: backend.refreshTokenUrl,
    openaiBaseUrl: backend.openaiBaseUrl,
    ...(backend.httpsUrl
      ? { httpsUrl: backend.httpsUrl, caCertPath: backend.caCertPath }
      : {}),
    workspaceBackendOrigin: backend.workspaceBackendOrigin,
    demo: {
      agentIdentity: {
        jwt: identity.jwt,
        runtimeId: identity.runtimeId,
        accountId: identity.accountId,
        privateKeyB64: identity.privateKeyB64
      },
      chatgptAuth,
      personalAccessToken: pat
    },
    ...(options.keyless
      ? { keyless: describeKeyless(backend, options.keyless) }
      : {})
  }
}

/** Writes beside the target, then renames: a reader never sees half. */
function writeWhole(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, text, { mode: 0o600 })
  renameSync(partial, file)
}

async function main(): Promise<void> {
  let options: CliOptions
  try {
    options = parseCli(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`
    )
    process.exit(2)
  }
  const backend = await startDevBackend({
    port: options.port,
    https: options.https,
    httpsPort: options.httpsPort,
    ...(options.workspaceBackendOrigin === undefined
      ? {}
      : { workspaceBackendOrigin: options.workspaceBackendOrigin }),
    ...(options.log
      ? {
          onRequest: (entry): void => {
            const printable = JSON.stringify(entry, (key, value: unknown) =>
              key === 'rawBody' ? undefined : value
            )
            process.stderr.write(`${printable}\n`)
          }
        }
      : {})
  })
  const line = JSON.stringify(describe(backend, options))
  if (options.jsonFile) writeWhole(options.jsonFile, `${line}\n`)
  process.stdout.write(`${line}\n`)
  const stop = (): void => {
    void backend.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

await main()
