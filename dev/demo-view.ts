/**
 * Terminal rendering for the demo: colours (only on a TTY, never with
 * NO_COLOR), key/value lists, the job summary's markdown tables as aligned
 * text, and the primed home's files with their secret values hidden.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

const useColor =
  process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0'
    ? true
    : process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined

const paint =
  (open: number, close: number) =>
  (text: string): string =>
    useColor ? `\u001b[${open}m${text}\u001b[${close}m` : text

export const style = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  cyan: paint(36, 39)
}

export const OK = style.green('✓')
export const FAIL = style.red('✗')

/** Prints lines with a prefix. */
export function printIndented(lines: string[], prefix = '  '): void {
  for (const line of lines) console.log(prefix + line)
}

/** `name  value` lines with the names padded to one column. */
export function keyValueLines(entries: [string, string][]): string[] {
  const width = Math.max(0, ...entries.map(([k]) => k.length))
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${v}`)
}

/**
 * Markdown as a terminal shows it best: tables become aligned columns (the
 * empty header row and the separator row are dropped), the rest is kept.
 */
export function markdownLines(markdown: string): string[] {
  const out: string[] = []
  let table: string[][] = []
  const flush = (): void => {
    const rows = table.filter((r) => r.some((cell) => cell !== ''))
    const widths = rows[0]?.map((_, i) =>
      Math.max(...rows.map((r) => (r[i] ?? '').length))
    )
    for (const row of rows) {
      out.push(
        row
          .map((cell, i) => cell.padEnd(widths?.[i] ?? 0))
          .join('  ')
          .trimEnd()
      )
    }
    table = []
  }
  for (const line of markdown.replace(/\n$/, '').split('\n')) {
    if (/^\|.*\|$/.test(line.trim())) {
      if (/^\|[-:| ]+\|$/.test(line.trim())) continue
      table.push(splitRow(line.trim()))
      continue
    }
    flush()
    out.push(line)
  }
  flush()
  return out
}

function splitRow(line: string): string[] {
  // Cells are separated by `|` that is not escaped as `\|`.
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'))
}

/** Fields of a Codex auth.json whose values are secrets. */
const SECRET_FIELDS = new Set([
  'OPENAI_API_KEY',
  'id_token',
  'access_token',
  'refresh_token',
  'agent_private_key',
  'personal_access_token'
])

/**
 * auth.json with every secret value replaced by `***` (an `agent_identity`
 * given as a JWT string is a secret as a whole). Layout as Codex writes it.
 */
export function redactAuthJson(text: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return '(not JSON: not shown)'
  }
  const redact = (key: string, value: unknown): unknown => {
    if (typeof value !== 'string') return value
    if (SECRET_FIELDS.has(key)) return '***'
    if (key === 'agent_identity') return '***'
    return value
  }
  return JSON.stringify(parsed, redact, 2)
}

/** `drwx------`-style permissions of a path. */
export function modeString(file: string): string {
  const stat = fs.statSync(file)
  const bits = stat.mode & 0o777
  const rwx = ['r', 'w', 'x']
  let text = stat.isDirectory() ? 'd' : '-'
  for (let i = 8; i >= 0; i--) {
    text += bits & (1 << i) ? rwx[(8 - i) % 3] : '-'
  }
  return text
}

/**
 * Files under a directory, relative, sorted with dot files last; [] when it
 * does not exist.
 */
export function filesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  const key = (name: string): string =>
    name.startsWith('.') ? `~${name}` : name
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/** A heading rule: `━━ title ━━━…` to 80 columns. */
export function rule(title: string): string {
  const head = `━━━ ${title} `
  return style.bold(head + '━'.repeat(Math.max(3, 80 - head.length)))
}
