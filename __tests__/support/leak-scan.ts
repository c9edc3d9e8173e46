/**
 * The secret-leak scanner shared by the hardening suites.
 *
 * It looks at a run the way a workflow author (or anyone who can read the
 * log and the runner's files) would, and models the runner's log masker
 * instead of trusting our own bookkeeping:
 *
 * - stdout: each line is shown with every value registered by an earlier
 *   `::add-mask::` line replaced by `***`, as the runner does; a form still
 *   visible after that is a leak. Workflow commands are checked on their
 *   decoded text (`%0A`, `%25` …), which is what the runner displays.
 *   `::stop-commands::<token>` is honoured as the runner honours it: until
 *   a `::<token>::` line, command lines (an `::add-mask::` too) are shown
 *   as plain text and register nothing. So is the old-style
 *   `##[stop-commands]<token>`, which the runner finds anywhere in a line.
 * - stderr: never masked by anything we control; any form is a leak.
 * - GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY, and
 *   every file created or changed outside the primed home(s): the order of
 *   stdout and file writes cannot be observed afterwards, so a form may be
 *   there only if a mask anywhere in stdout hides it.
 *
 * A secret is looked for in every form the action could plausibly write it
 * in: as is, base64, base64url, JSON-escaped, URL-encoded, as a full
 * `Bearer` header value, and line by line when it spans lines.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseWorkflowCommand } from '../../dev/runner-sim.js'

/**
 * What a scan looks at: a step's stdout and stderr, the text each command
 * file (and the summary) got, and where those files are.
 */
export interface ScannedStep {
  stdout: string
  stderr: string
  raw: Record<string, string>
  dirs?: { files: Record<string, string> }
}

/** A secret to look for, with a label for the report (never its value). */
export interface Secret {
  label: string
  value: string
}

/** One form of a secret: the text, and how it was derived. */
export interface SecretForm {
  how: string
  text: string
}

/** A leak: which secret, in which form, where. Never the value itself. */
export interface Finding {
  secret: string
  form: string
  where: string
}

/** Forms shorter than this are not looked for: they match by chance. */
export const MIN_FORM_LENGTH = 8

/**
 * Every form in which `value` could be written somewhere: the value, its
 * base64 and base64url encodings, JSON-escaped and URL-encoded text, the
 * `Bearer` header value, and each line of a value that spans lines.
 */
export function derivedForms(value: string): SecretForm[] {
  const forms: SecretForm[] = []
  const add = (how: string, text: string): void => {
    if (text.length < MIN_FORM_LENGTH) return
    if (forms.some((f) => f.text === text)) return
    forms.push({ how, text })
  }
  const lines = value.split(/\r?\n|\r/)
  if (lines.length > 1) {
    lines.forEach((line, i) => add(`line ${i + 1}`, line.trim()))
  } else {
    add('as is', value)
  }
  const bytes = Buffer.from(value, 'utf8')
  add('base64', bytes.toString('base64'))
  // Without its padding too: a base64 run is found inside longer text.
  add('base64 unpadded', bytes.toString('base64').replace(/=+$/, ''))
  add('base64url', bytes.toString('base64url'))
  add('JSON-escaped', JSON.stringify(value).slice(1, -1))
  add('URL-encoded', encodeURIComponent(value))
  if (lines.length === 1) add('Bearer header value', `Bearer ${value}`)
  return forms
}

/**
 * Replaces every mask occurrence with `***`, longest mask first, as the
 * runner's masker does. Masks shorter than the shortest sensible secret are
 * applied too: being generous here would only hide real findings.
 */
export function applyMasks(text: string, masks: readonly string[]): string {
  const ordered = [...new Set(masks)]
    .filter((m) => m !== '')
    .sort((a, b) => b.length - a.length)
  let out = text
  for (const mask of ordered) out = out.split(mask).join('***')
  return out
}

/** Sha-256 of every regular file under a directory, by absolute path. */
export type FileSnapshot = Map<string, string>

/** Records the content hash of every file under `roots`. */
export function snapshotFiles(roots: readonly string[]): FileSnapshot {
  const snap: FileSnapshot = new Map()
  for (const root of roots) {
    for (const file of walkFiles(root)) {
      snap.set(file, hashFile(file))
    }
  }
  return snap
}

function hashFile(file: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  } catch {
    return 'unreadable'
  }
}

/** Regular files under `root`, recursively, without following symlinks. */
export function walkFiles(root: string): string[] {
  const out: string[] = []
  const visit = (dir: string): void => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) visit(full)
      else if (entry.isFile()) out.push(full)
    }
  }
  visit(root)
  return out
}

/** Files under `roots` that are new or changed since `before`. */
export function changedFiles(
  roots: readonly string[],
  before: FileSnapshot,
  exclude: readonly string[] = []
): string[] {
  const excluded = (file: string): boolean =>
    exclude.some((dir) => file === dir || file.startsWith(dir + path.sep))
  const changed: string[] = []
  for (const root of roots) {
    for (const file of walkFiles(root)) {
      if (excluded(file)) continue
      if (before.get(file) !== hashFile(file)) changed.push(file)
    }
  }
  return changed
}

export interface ScanOptions {
  /** Primed homes: the one place secrets are meant to be written in clear. */
  primedHomes?: readonly string[]
  /**
   * Directories whose new or changed files are scanned (the runner layout
   * root: RUNNER_TEMP, HOME, the workspace, a source Codex home …).
   */
  roots?: readonly string[]
  /** Snapshot of `roots` taken before the run. */
  before?: FileSnapshot
}

/** What a scan looked at, for the printed counts. */
export interface ScanReport {
  findings: Finding[]
  /** Secret forms looked for. */
  forms: number
  /** stdout lines, stderr, command files and other files inspected. */
  channels: number
}

/**
 * Scans one run (main or post) for every form of every secret. Returns the
 * findings; an empty list is the only acceptable result.
 */
export function scanRun(
  result: ScannedStep,
  secrets: readonly Secret[],
  options: ScanOptions = {}
): ScanReport {
  const forms = secrets.flatMap((s) =>
    derivedForms(s.value).map((f) => ({ secret: s.label, ...f }))
  )
  const findings: Finding[] = []
  const check = (text: string, where: string): void => {
    for (const f of forms) {
      if (text.includes(f.text)) {
        findings.push({ secret: f.secret, form: f.how, where })
      }
    }
  }
  let channels = 0

  // stdout, line by line, with the masks registered so far.
  const masks: string[] = []
  let stoppedUntil: string | undefined
  result.stdout.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '')
    if (stoppedUntil !== undefined) {
      if (line === `::${stoppedUntil}::`) {
        stoppedUntil = undefined
        return
      }
      // Commands are off: the line is shown as it is.
      channels++
      check(applyMasks(line, masks), `stdout line ${i + 1}`)
      return
    }
    // The runner also reads an old-style `##[name]value` anywhere in a line.
    const legacy = /##\[([a-z-]+)(?:[^\]]*)\](.*)$/.exec(line)
    if (legacy?.[1] === 'stop-commands') {
      stoppedUntil = legacy[2]!
      channels++
      check(applyMasks(line, masks), `stdout line ${i + 1}`)
      return
    }
    const command = parseWorkflowCommand(line)
    if (command?.name === 'add-mask') {
      masks.push(command.value)
      return
    }
    if (command?.name === 'stop-commands') {
      stoppedUntil = command.value
      return
    }
    channels++
    const shown = command ? command.value : line
    check(applyMasks(shown, masks), `stdout line ${i + 1}`)
  })

  // stderr: nothing masks it.
  channels++
  check(result.stderr, 'stderr')

  // Command files and the summary: only masked values may be there.
  for (const [name, text] of Object.entries(result.raw)) {
    channels++
    check(applyMasks(text, masks), `${name} file`)
  }

  // Every other file the run created or changed, outside the primed homes.
  if (options.roots && options.before) {
    const commandFiles = Object.values(result.dirs?.files ?? {})
    const files = changedFiles(options.roots, options.before, [
      ...(options.primedHomes ?? []),
      ...commandFiles
    ])
    for (const file of files) {
      channels++
      let text: string
      try {
        text = fs.readFileSync(file, 'utf8')
      } catch {
        continue
      }
      check(applyMasks(text, masks), `file ${file}`)
    }
  }
  return { findings, forms: forms.length, channels }
}

/** A readable one-line-per-finding report for a failing expectation. */
export function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.secret} (${f.form}) in ${f.where}`)
}
