import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { send } from './helpers.js'

const CLI = fileURLToPath(new URL('../../dev/backend/cli.ts', import.meta.url))

interface CliLine {
  url: string
  jwksUrl: string
  authapiBaseUrl: string
  httpsUrl?: string
  caCertPath?: string
  workspaceBackendOrigin: string
  demo: {
    agentIdentity: { jwt: string; runtimeId: string }
    chatgptAuth: { tokens: { refresh_token: string } }
    personalAccessToken: { token: string; accountId: string }
  }
  keyless?: {
    oidcRequestUrl: string
    oidcRequestToken: string
    oidcIssuer: string
    federationRuleId: string
    audience: string
    accountId: string
    expiresIn: number
    tokenUrl: string
  }
}

function startCli(args: string[]): {
  child: ChildProcess
  firstLine: Promise<CliLine>
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' }
  })
  const lines = createInterface({ input: child.stdout })
  const firstLine = new Promise<CliLine>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as CliLine))
    child.once('exit', (code) => reject(new Error(`cli exited ${code}`)))
  })
  // Tests that expect an early exit never await the line.
  firstLine.catch(() => undefined)
  return { child, firstLine }
}

describe('cli', () => {
  it('prints URLs and working demo credentials, and stops on SIGTERM', async () => {
    const { child, firstLine } = startCli(['--https'])
    try {
      const line = await firstLine
      expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(line.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(line.workspaceBackendOrigin).toBe(line.httpsUrl)
      expect(line.caCertPath).toMatch(/ca-cert\.pem$/)

      const jwks = JSON.parse((await send(line.jwksUrl)).body) as JSONWebKeySet
      await jwtVerify(line.demo.agentIdentity.jwt, createLocalJWKSet(jwks))
      const whoami = await send(
        `${line.authapiBaseUrl}/v1/user-auth-credential/whoami`,
        {
          headers: {
            authorization: `Bearer ${line.demo.personalAccessToken.token}`
          }
        }
      )
      expect(JSON.parse(whoami.body)).toMatchObject({
        chatgpt_account_id: line.demo.personalAccessToken.accountId
      })
      expect(line.demo.chatgptAuth.tokens.refresh_token).toMatch(/^rt-/)
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(0)
  })

  it('--json-file writes the same JSON to a file only the owner reads', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-backend-cli-'))
    const file = path.join(dir, 'backend.json')
    const { child, firstLine } = startCli(['--json-file', file])
    try {
      const line = await firstLine
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(line)
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      expect(fs.readdirSync(dir)).toEqual(['backend.json'])
    } finally {
      child.kill('SIGTERM')
      fs.rmSync(dir, { recursive: true, force: true })
    }
    await once(child, 'exit')
  })

  it('prints a working keyless setup with --keyless', async () => {
    const { child, firstLine } = startCli([
      '--keyless',
      '--keyless-audience',
      'https://example.test/ci',
      '--keyless-expires-in',
      '5',
      '--workspace-backend-origin',
      'https://chatgpt.com'
    ])
    try {
      const line = await firstLine
      expect(line.workspaceBackendOrigin).toBe('https://chatgpt.com')
      const keyless = line.keyless
      expect(keyless).toMatchObject({
        oidcRequestUrl: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/.*\?api-version=2\.0$/
        ) as unknown,
        oidcIssuer: `${line.url}/oidc`,
        federationRuleId: expect.stringMatching(/^idpm_/) as unknown,
        audience: 'https://example.test/ci',
        expiresIn: 5,
        tokenUrl: `${line.url}/oauth/token`
      })
      const oidc = await send(
        `${keyless?.oidcRequestUrl ?? ''}&audience=${encodeURIComponent('https://example.test/ci')}`,
        { headers: { authorization: `Bearer ${keyless?.oidcRequestToken}` } }
      )
      const { value } = JSON.parse(oidc.body) as { value: string }
      const exchange = await send(keyless?.tokenUrl ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${value}&federation_rule_id=${keyless?.federationRuleId}`
      })
      expect(exchange.status).toBe(200)
      expect(JSON.parse(exchange.body)).toMatchObject({
        chatgpt_account_id: keyless?.accountId,
        expires_in: 5
      })
    } finally {
      child.kill('SIGTERM')
    }
    await once(child, 'exit')
  })

  it('rejects a bad port with usage', async () => {
    const { child } = startCli(['--port', 'eighty'])
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(2)
    expect(stderr).toContain("Invalid --port 'eighty'")
  })

  it('rejects a keyless lifetime outside 1..3600', async () => {
    const { child } = startCli(['--keyless', '--keyless-expires-in', '0'])
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(2)
    expect(stderr).toContain("Invalid --keyless-expires-in '0'")
  })
})
