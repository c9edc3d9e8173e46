/**
 * The User-Agent every backend request carries, shaped like
 * the one Codex sends so backend logs read the same way.
 */
import * as os from 'node:os'
import { ACTION_VERSION } from '../version.js'

/** The product token, also the default `originator` header value. */
export const USER_AGENT_PRODUCT = 'codex_github_action'

/** What the User-Agent says about the machine; injectable for tests. */
export interface UserAgentPlatform {
  /** `os.type()`, e.g. `Linux` */
  type: string
  /** `os.release()`, e.g. `6.8.0-1017-azure` */
  release: string
  /** `os.arch()`, e.g. `x64` */
  arch: string
  /** `process.versions.node`, e.g. `24.1.0` */
  node: string
}

/** The platform this process runs on. */
export function currentPlatform(): UserAgentPlatform {
  return {
    type: os.type(),
    release: os.release(),
    arch: os.arch(),
    node: process.versions.node
  }
}

/**
 * Builds
 * `codex_github_action/<version> (<os type> <os release>; <arch>) node/<version>`.
 *
 * @param platform defaults to the running machine
 */
export function buildUserAgent(
  platform: UserAgentPlatform = currentPlatform()
): string {
  const ua = `${USER_AGENT_PRODUCT}/${ACTION_VERSION} (${platform.type} ${platform.release}; ${platform.arch}) node/${platform.node}`
  // Node refuses a header value with control characters and the request would
  // fail before leaving the machine; an odd kernel release string must not
  // break every backend call.
  return ua.replace(/[^\x20-\x7e]/g, '?')
}
