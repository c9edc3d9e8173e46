/**
 * The hosts file of the keyless scenarios. Codex accepts workload identity
 * only with its production (or staging) hosts and the default Responses
 * endpoint (SPEC 12), so those names must reach the dev backend: a hosts
 * file maps them to 127.0.0.1 and scripts/with-hosts.sh bind-mounts it on
 * /etc/hosts for one run (a private mount namespace inside the
 * loopback-only network namespace; the host's /etc/hosts is untouched).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { WITH_SYSTEM_LAYER } from '../__tests__/support/run-action.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The wrapper that gives one process its own /etc/hosts. */
export const WITH_HOSTS = path.join(ROOT, 'scripts/with-hosts.sh')

/**
 * The names mapped to loopback: the exchange (`auth.openai.com`) and the
 * backend and model calls (`chatgpt.com`). Everything else still goes to the
 * DNS sink and gets NXDOMAIN.
 */
export const OPENAI_HOST_NAMES = ['auth.openai.com', 'chatgpt.com'] as const

/** The hosts file text: localhost plus {@link OPENAI_HOST_NAMES}. */
export function hostsFileText(): string {
  return [
    '127.0.0.1 localhost',
    '::1 localhost',
    ...OPENAI_HOST_NAMES.map((name) => `127.0.0.1 ${name}`),
    ''
  ].join('\n')
}

/** Writes {@link hostsFileText} to `dir/hosts` and returns its path. */
export function writeHostsFile(dir: string): string {
  const file = path.join(dir, 'hosts')
  fs.writeFileSync(file, hostsFileText(), { mode: 0o644 })
  return file
}

/**
 * `[command, args]` that runs `argv` under the given stand-ins: a hosts file
 * for /etc/hosts ({@link WITH_HOSTS}) and a directory for /etc/codex
 * (with-system-layer.sh). Each wrapper execs the rest of the line in its own
 * mount namespace, so the pid is the one of `argv[0]` in the end.
 */
export function underMounts(
  argv: string[],
  mounts: { hostsFile?: string; systemLayer?: string }
): [string, string[]] {
  const [command = '', ...args] = [
    ...(mounts.hostsFile ? [WITH_HOSTS, mounts.hostsFile] : []),
    ...(mounts.systemLayer ? [WITH_SYSTEM_LAYER, mounts.systemLayer] : []),
    ...argv
  ]
  return [command, args]
}
