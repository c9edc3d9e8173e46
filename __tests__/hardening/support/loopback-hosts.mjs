// Preloaded into the built action (NODE_OPTIONS=--import=…) by the proxy
// suite: the names in CODEX_TEST_LOOPBACK_HOSTS (comma-separated) resolve to
// 127.0.0.1 and every other name fails as not found, without asking any
// resolver. Whether a request went direct is then shown by where it
// arrives, never by whether the machine running the tests has DNS.
// Sockets look names up through `lookup` on node's own dns module object.
import dns from 'node:dns'
import process from 'node:process'

const names = new Set(
  (process.env.CODEX_TEST_LOOPBACK_HOSTS || '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean)
)

dns.lookup = (hostname, options, callback) => {
  const done = typeof options === 'function' ? options : callback
  const all = typeof options === 'object' && options !== null && options.all
  process.nextTick(() => {
    if (!names.has(String(hostname).toLowerCase())) {
      const err = new Error(`getaddrinfo ENOTFOUND ${hostname}`)
      err.code = 'ENOTFOUND'
      done(err)
    } else if (all) {
      done(null, [{ address: '127.0.0.1', family: 4 }])
    } else {
      done(null, '127.0.0.1', 4)
    }
  })
}
