/**
 * The least an Agent Identity run can do with what the action must use, as a
 * yardstick for the 2× budget: node:http with a keep-alive agent, jose's
 * RS256 verification against the fetched JWKS, an Ed25519-signed task
 * registration, the sealed task id opened with the action's own crypto
 * helpers, and one file written. No input validation, no masks, no policy,
 * no primed home, no runner files, no summary, no error handling.
 *
 * The benchmark bundles this file as it bundles the action and runs it in the
 * same runner-like environment, paired with the same empty module.
 */
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { parseAgentPrivateKey } from '../../src/crypto/agent-key.js'
import {
  formatTimestamp,
  registrationBody
} from '../../src/crypto/assertion.js'
import { openSealedTaskId } from '../../src/crypto/sealed-box.js'

// As the action does: required, so Node 24 does not load undici.
const http = createRequire(import.meta.url)(
  'node:http'
) as typeof import('node:http')
const agent = new http.Agent({ keepAlive: true })

function request(method: string, url: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: body
          ? {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body)
            }
          : {}
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve(text))
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}

const env = (name: string): string => process.env[`INPUT_${name}`] ?? ''

const jwt = env('ACCESS-TOKEN')
const claims = JSON.parse(
  Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')
) as { agent_runtime_id: string; agent_private_key: string }
const jwks = JSON.parse(await request('GET', env('JWKS-URL'))) as {
  keys: Record<string, unknown>[]
}
await jwtVerify(jwt, createLocalJWKSet(jwks), {
  algorithms: ['RS256'],
  issuer: 'https://chatgpt.com/codex-backend/agent-identity',
  audience: 'codex-app-server'
})
const key = parseAgentPrivateKey(claims.agent_private_key)
const reply = JSON.parse(
  await request(
    'POST',
    env('REGISTER-URL').replace('{id}', claims.agent_runtime_id),
    registrationBody(claims.agent_runtime_id, formatTimestamp(new Date()), key)
  )
) as { task_id?: string; encrypted_task_id?: string }
const taskId =
  reply.task_id ?? openSealedTaskId(reply.encrypted_task_id ?? '', key)
fs.writeFileSync(
  path.join(process.env['RUNNER_TEMP'] ?? '.', 'task-id'),
  taskId
)
agent.destroy()
