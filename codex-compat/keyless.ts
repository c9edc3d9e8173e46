/**
 * The keyless scenarios' world (SPEC 12): a second dev backend serving
 * HTTPS on 127.0.0.1:443 under OpenAI's own host names (the hosts file of
 * hosts.ts maps auth.openai.com and chatgpt.com there), whose
 * `wham/accounts/check` routes model calls to https://chatgpt.com, plus its
 * GitHub OIDC token service for the simulated job.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { startDevBackend, type DevBackend } from '../dev/backend/index.js'
import { writeHostsFile } from './hosts.js'

/** The audience of every keyless scenario's federation rule and inputs. */
export const KEYLESS_AUDIENCE = 'https://codex-compat.test/codex'

/** The production origin Codex requires for workload identity. */
export const CHATGPT_ORIGIN = 'https://chatgpt.com'

export interface KeylessBackend {
  /** HTTPS on 127.0.0.1:443 (and http on a free port for the OIDC service). */
  backend: DevBackend
  /** The hosts file to bind-mount on /etc/hosts for Codex and the action. */
  hostsFile: string
  /** The job env of a step with `permissions: id-token: write`. */
  oidcEnv(): Record<string, string>
  close(): Promise<void>
}

/**
 * Starts the backend on 443 (only inside the loopback-only namespace, where
 * the suite runs as root and nothing else holds the port) and writes the
 * hosts file.
 */
export async function startKeylessBackend(): Promise<KeylessBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-compat-hosts-'))
  const hostsFile = writeHostsFile(dir)
  const backend = await startDevBackend({
    https: true,
    httpsPort: 443,
    workspaceBackendOrigin: CHATGPT_ORIGIN
  })
  return {
    backend,
    hostsFile,
    oidcEnv: () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: backend.oidcRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: backend.oidcRequestToken
    }),
    close: async () => {
      await backend.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Pids of live processes whose command line contains `needle`. */
export function processesMentioning(needle: string): number[] {
  const found: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (cmdline.includes(needle)) found.push(Number(entry))
    } catch {
      // Exited while we looked.
    }
  }
  return found
}
