/** SPEC 4.5 test vectors (seed = 32 bytes of 0x07), shared by the suites. */

export const SEED = new Uint8Array(32).fill(7)

export const PUBLIC_KEY_HEX =
  'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c'

export const PKCS8_V1_B64 =
  'MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH'

export const PKCS8_V2_B64 =
  'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw='

export const RUNTIME_ID = 'agent-123'
export const TASK_ID = 'task-123'
export const TIMESTAMP = '2026-01-01T00:00:00Z'

export const ASSERTION_SIGNATURE =
  'WCu9HffZ7sv+s6cbW/G6Xi/jZWDlxUZOIvrnKyMAO8ivSxMfwJze/Og4meeCba+k6gqpPLA8Cqjm1RYxAlPnAg=='

export const ASSERTION_HEADER =
  'AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoiYWdlbnQtMTIzIiwic2lnbmF0dXJlIjoiV0N1OUhmZlo3c3YrczZjYlcvRzZYaS9qWldEbHhVWk9JdnJuS3lNQU84aXZTeE1md0p6ZS9PZzRtZWVDYmErazZncXBQTEE4Q3FqbTFSWXhBbFBuQWc9PSIsInRhc2tfaWQiOiJ0YXNrLTEyMyIsInRpbWVzdGFtcCI6IjIwMjYtMDEtMDFUMDA6MDA6MDBaIn0'

export const REGISTRATION_BODY =
  '{"timestamp":"2026-01-01T00:00:00Z","signature":"Flknh7SWLL/jUyVKZQjttm200nc5G+vsgozrIQ99ZZaBu0g9PEVxafDZXp+4i+BufsLPHiogzE/Gl77j1alHBA=="}'

export const X25519_SECRET_HEX =
  '28ad39fefd7fa3e200a9c626eef599e61a2d055c48a8288a4e7e4c4bca392878'
export const X25519_PUBLIC_HEX =
  '761d88ec830413919dfe9d4d1d56f17e653c8c994082df5b137b90a0ae6edf74'

/** PKCS#8 framing from SPEC 4.2, for building keys in tests. */
export const V1_PREFIX_HEX = '302e020100300506032b657004220420'
export const V2_PREFIX_HEX = '3051020101300506032b657004220420'
export const V2_PUBLIC_KEY_TAG_HEX = '812100'

/** Lower-case hex of bytes, for readable comparisons. */
export const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes).toString('hex')

/** Standard padded base64 of hex-described bytes. */
export const b64OfHex = (...parts: string[]): string =>
  Buffer.from(parts.join(''), 'hex').toString('base64')
