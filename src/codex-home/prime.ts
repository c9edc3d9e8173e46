/**
 * The primed Codex home: a fresh directory under RUNNER_TEMP holding the
 * auth.json and config.toml a later `codex exec` starts from, and a marker.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ActionError, describeError } from '../errors.js'
import { writeNewFile } from '../files/safe-write.js'
import { primeFailed, runnerTempInWorkspace } from '../messages/files.js'
import { MARKER_FILE, readMarker, type Marker } from './marker.js'

/**
 * The home to read credentials and config from. When `home` was primed by an
 * earlier run of this action in the same job (its CODEX_HOME was exported),
 * the original source home is used instead: a second run must not mistake the
 * first run's output for user input.
 */
export function resolveSourceHome(home: string): string {
  const marker = readMarker(home)
  return marker && marker.sourceHome !== home ? marker.sourceHome : home
}

/**
 * Creates the primed home's directory, empty: 0700, with a unique name
 * (mkdtemp is an exclusive create). Called before any request, so a
 * RUNNER_TEMP that cannot take it fails the step before a refresh can rotate
 * a token.
 *
 * @param runnerTemp - RUNNER_TEMP (created when missing)
 * @param workspace - GITHUB_WORKSPACE, which must not contain the home
 * @returns the new directory
 * @throws ActionError when RUNNER_TEMP lies inside the workspace, or the
 *   directory cannot be created
 */
export function createPrimedHome(
  runnerTemp: string,
  workspace: string | undefined
): string {
  // The workspace is often uploaded as an artifact or cached: credentials
  // must never land there, also not through a symlink, so real paths are
  // compared (before anything is created).
  if (
    workspace !== undefined &&
    isInside(realPath(runnerTemp), realPath(workspace))
  ) {
    throw new ActionError(runnerTempInWorkspace(runnerTemp, workspace))
  }
  let home: string | undefined
  try {
    fs.mkdirSync(runnerTemp, { recursive: true })
    home = fs.mkdtempSync(path.join(runnerTemp, 'codex-home-'))
    fs.chmodSync(home, 0o700)
    return home
  } catch (err) {
    if (home !== undefined) fs.rmSync(home, { recursive: true, force: true })
    throw new ActionError(primeFailed(runnerTemp, describeError(err)))
  }
}

export interface PrimedHome {
  home: string
  /** The primed auth.json; absent when none was written (workload identity). */
  authFile?: string
  configFile: string
}

export interface PrimeFiles {
  sourceHome: string
  /** Absent: no auth.json (workload identity: Codex exchanges by itself). */
  authJsonText?: string
  /** The config.toml text (`renderConfigToml`). */
  configToml: string
}

/**
 * Writes the primed home's files into a directory from
 * {@link createPrimedHome}: 0600, created exclusively without following
 * symlinks. The caller removes the directory when this fails.
 *
 * @throws ActionError naming RUNNER_TEMP when a file cannot be written
 */
export function primeCodexHome(home: string, files: PrimeFiles): PrimedHome {
  const authFile =
    files.authJsonText === undefined ? undefined : path.join(home, 'auth.json')
  const configFile = path.join(home, 'config.toml')
  try {
    if (authFile !== undefined) writeNewFile(authFile, files.authJsonText ?? '')
    writeNewFile(configFile, files.configToml)
    const marker: Marker = { primedHome: home, sourceHome: files.sourceHome }
    writeNewFile(path.join(home, MARKER_FILE), JSON.stringify(marker))
  } catch (err) {
    throw new ActionError(primeFailed(path.dirname(home), describeError(err)))
  }
  return { home, authFile, configFile }
}

/**
 * The real path of `p`, or of its nearest existing ancestor with the rest
 * appended: RUNNER_TEMP may not exist yet.
 */
function realPath(p: string): string {
  const resolved = path.resolve(p)
  try {
    return fs.realpathSync(resolved)
  } catch {
    const parent = path.dirname(resolved)
    if (parent === resolved) return resolved
    return path.join(realPath(parent), path.basename(resolved))
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}
