import { fixturePath, readFixture } from './keys.js'

/** Key, certificate and CA for the loopback https listener. */
export interface TlsMaterial {
  key: string
  cert: string
  /** PEM of the test CA that signed `cert`. */
  caCertPem: string
  /** Absolute path of that PEM, for `CODEX_CA_CERTIFICATE`. */
  caCertPath: string
}

/**
 * The pre-generated TLS fixtures (regenerate with fixtures/generate.sh):
 * a leaf valid for 127.0.0.1, ::1, localhost and the OpenAI hosts Codex
 * accepts for workload identity (auth.openai.com, chatgpt.com, their
 * staging twins), signed by a test CA.
 */
export function loadTlsMaterial(): TlsMaterial {
  return {
    key: readFixture('server-key.pem'),
    cert: readFixture('server-cert.pem'),
    caCertPem: readFixture('ca-cert.pem'),
    caCertPath: fixturePath('ca-cert.pem')
  }
}
