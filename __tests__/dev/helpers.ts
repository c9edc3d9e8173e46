import { createPrivateKey, sign } from 'node:crypto'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** A finished HTTP exchange as the tests see it. */
export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** CA PEM for https URLs. */
  ca?: string
  /** Abort the request after this many ms. */
  timeoutMs?: number
}

/**
 * A plain node:http(s) client, so failures (resets, truncation) surface as
 * rejections exactly as the transport reports them.
 */
export function send(url: string, options: SendOptions = {}): Promise<Reply> {
  const target = new URL(url)
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(options.ca ? { ca: options.ca } : {}),
        agent: false
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        )
      }
    )
    req.on('error', reject)
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () =>
        req.destroy(new Error('client timeout'))
      )
    }
    req.end(options.body)
  })
}

/** POSTs JSON text (given verbatim, so tests control key order). */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {}
): Promise<Reply> {
  return send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body
  })
}

/** UTC RFC 3339 with whole seconds and Z, as Codex formats timestamps. */
export function wholeSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z')
}

/** Signs text with a PKCS#8 (v1) standard-base64 Ed25519 key; std base64. */
export function signWithAgentKey(privateKeyB64: string, text: string): string {
  const key = createPrivateKey({
    key: Buffer.from(privateKeyB64, 'base64'),
    format: 'der',
    type: 'pkcs8'
  })
  return sign(null, Buffer.from(text), key).toString('base64')
}

/** The registration body Codex sends, compact, keys in its order. */
export function registrationBody(
  runtimeId: string,
  privateKeyB64: string,
  timestamp: string
): string {
  const signature = signWithAgentKey(privateKeyB64, `${runtimeId}:${timestamp}`)
  return JSON.stringify({ timestamp, signature })
}

/** An `AgentAssertion` header value built the way SPEC 4.4 describes. */
export function agentAssertion(
  runtimeId: string,
  taskId: string,
  privateKeyB64: string,
  timestamp: string
): string {
  const signature = signWithAgentKey(
    privateKeyB64,
    `${runtimeId}:${taskId}:${timestamp}`
  )
  const envelope = JSON.stringify({
    agent_runtime_id: runtimeId,
    signature,
    task_id: taskId,
    timestamp
  })
  return `AgentAssertion ${Buffer.from(envelope).toString('base64url')}`
}

/** Decodes a JWT's payload without verifying it. */
export function jwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}
