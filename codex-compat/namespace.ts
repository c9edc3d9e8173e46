/**
 * The loopback-only network namespace every Codex run happens in. Codex
 * talks to real OpenAI hosts for any endpoint that is not overridden, so the
 * suite re-executes itself under `unshare -n` (a new, empty network
 * namespace), brings `lo` up, and refuses to go on unless `lo` is the only
 * interface it can see.
 */
import {
  spawn,
  spawnSync,
  type ChildProcess,
  type StdioOptions
} from 'node:child_process'
import * as fs from 'node:fs'

/** Set in the child so it knows it was started by {@link reexecInNamespace}. */
const IN_NAMESPACE_ENV = 'CODEX_COMPAT_IN_NAMESPACE'

/**
 * Interface names of the current network namespace. `/proc/net/dev` follows
 * the namespace of the reading process (`/sys/class/net` follows the one
 * sysfs was mounted in, so it would lie after `unshare -n`).
 */
export function networkInterfaces(): string[] {
  const text = fs.readFileSync('/proc/net/dev', 'utf8')
  return text
    .split('\n')
    .slice(2)
    .map((line) => line.split(':')[0]?.trim() ?? '')
    .filter((name) => name !== '')
}

/** True when `lo` is the only interface and it is up. */
export function isLoopbackOnly(): boolean {
  const names = networkInterfaces()
  if (names.length !== 1 || names[0] !== 'lo') return false
  // IFF_UP is bit 0 of the flags; a down lo would fail every connection.
  const flags = fs.readFileSync('/sys/class/net/lo/flags', 'utf8').trim()
  return (Number.parseInt(flags, 16) & 1) === 1
}

/** Why the namespace cannot be made, or undefined when it can. */
export function namespaceUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') {
    return `network namespaces need Linux (this is ${process.platform})`
  }
  const probe = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' })
  if (probe.error) return `unshare is not available: ${probe.error.message}`
  if (probe.status !== 0) {
    return `unshare -n failed (root or CAP_SYS_ADMIN is needed): ${probe.stderr.trim()}`
  }
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8' })
  if (ip.error) return `the ip command is not available: ${ip.error.message}`
  return undefined
}

/** True in the process started by {@link reexecInNamespace}. */
export function startedInNamespace(): boolean {
  return process.env[IN_NAMESPACE_ENV] === '1'
}

/**
 * Starts `command` (argv) inside a new network namespace with only `lo`,
 * brought up first; `unshare -n` without `--fork` execs, so the child's pid
 * is the command's. The child's env gets the marker
 * {@link startedInNamespace} reads.
 */
export function spawnInNamespace(
  command: string[],
  options: { stdio: StdioOptions; env?: NodeJS.ProcessEnv }
): ChildProcess {
  // `ip link set lo up` must run inside the namespace, before the command.
  const shell = 'ip link set lo up && exec "$@"'
  return spawn('unshare', ['-n', '--', 'sh', '-c', shell, 'sh', ...command], {
    stdio: options.stdio,
    env: { ...(options.env ?? process.env), [IN_NAMESPACE_ENV]: '1' }
  })
}

/**
 * Runs this same script again inside a new network namespace with only `lo`
 * (brought up first) and resolves with its exit code. Node's own flags
 * (tsx's loader) are passed on.
 */
export function reexecInNamespace(): Promise<number> {
  const command = [
    process.execPath,
    ...process.execArgv,
    ...process.argv.slice(1)
  ]
  return new Promise((resolve, reject) => {
    const child = spawnInNamespace(command, { stdio: 'inherit' })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}
