/**
 * Run in a child process by __tests__/clients/http.test.ts: one request
 * through the shared client to the URL given as argument, then one JSON line
 * on stdout (the status, and which TLS modules node has loaded), and then
 * nothing: the process must end on its own although the server keeps the
 * connection open.
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
// Node's own list of the built-in modules it has loaded so far.
const { moduleLoadList } = process as unknown as { moduleLoadList: string[] }
const tls = moduleLoadList.filter((m) => /^NativeModule (https|tls)$/.test(m))
process.stdout.write(JSON.stringify({ status: res.status, tls }) + '\n')
