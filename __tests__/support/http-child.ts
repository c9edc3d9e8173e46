/**
 * Run in a child process by __tests__/clients/http/transport.test.ts: one
 * request through the shared client to the URL given as argument, then one
 * JSON line on stdout (the status), and then nothing: the process must end on
 * its own although the server keeps the connection open.
 */
import { createHttpClient, defaultHttpDeps } from '../../src/clients/http.js'

const url = process.argv[2] ?? ''
const client = createHttpClient(defaultHttpDeps({}))
const res = await client.request({
  method: 'GET',
  url,
  timeoutMs: 5000,
  maxAttempts: 1,
  what: 'child request'
})
process.stdout.write(JSON.stringify({ status: res.status }) + '\n')
