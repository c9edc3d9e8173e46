/**
 * The least an Agent Identity run can do with the libraries the action uses,
 * as the yardstick of its budget: `@actions/http-client` for the JWKS GET and
 * the task registration POST, jose's RS256 verification against that JWKS,
 * zod (`zod/mini`) for the three documents, an Ed25519-signed registration,
 * the sealed task id opened with the action's own sealed box, and one file
 * written. No input validation, no masks, no policy, no primed home, no
 * runner files, no summary, no error handling.
 *
 * The benchmark bundles this file exactly as the action is bundled
 * (scripts/bundle.mjs) and runs it in the same runner-like environment,
 * paired with the same empty module.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { HttpClient } from '@actions/http-client'
import {
  createLocalJWKSet,
  decodeJwt,
  jwtVerify,
  type JSONWebKeySet
} from 'jose'
import * as z from 'zod/mini'
import { parseAgentPrivateKey } from '../../src/crypto/agent-key.js'
import {
  formatTimestamp,
  registrationBody
} from '../../src/crypto/assertion.js'
import { openSealedTaskId } from '../../src/crypto/sealed-box.js'

const Jwks = z.object({ keys: z.array(z.looseObject({ kty: z.string() })) })
const Claims = z.object({
  agent_runtime_id: z.string(),
  agent_private_key: z.string()
})
const Reply = z.object({
  task_id: z.optional(z.string()),
  encrypted_task_id: z.optional(z.string())
})

const env = (name: string): string => process.env[`INPUT_${name}`] ?? ''
const client = new HttpClient('codex-auth-bench-floor', [], {
  allowRedirects: false,
  keepAlive: true
})

const jwt = env('ACCESS-TOKEN')
const claims = Claims.parse(decodeJwt(jwt))
const jwksReply = await client.get(env('JWKS-URL'))
const jwks = Jwks.parse(JSON.parse(await jwksReply.readBody()))
await jwtVerify(jwt, createLocalJWKSet(jwks as JSONWebKeySet), {
  algorithms: ['RS256'],
  issuer: 'https://chatgpt.com/codex-backend/agent-identity',
  audience: 'codex-app-server'
})
const key = parseAgentPrivateKey(claims.agent_private_key)
const registered = await client.post(
  env('REGISTER-URL').replace('{id}', claims.agent_runtime_id),
  registrationBody(claims.agent_runtime_id, formatTimestamp(new Date()), key),
  { 'content-type': 'application/json' }
)
const reply = Reply.parse(JSON.parse(await registered.readBody()))
const taskId =
  reply.task_id ?? openSealedTaskId(reply.encrypted_task_id ?? '', key)
fs.writeFileSync(
  path.join(process.env['RUNNER_TEMP'] ?? '.', 'task-id'),
  taskId
)
client.dispose()
