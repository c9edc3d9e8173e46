/**
 * The user docs hold to the code:
 * - docs/TROUBLESHOOTING.md covers every message the action can print: each
 *   exported constant of every module of src/messages/ verbatim, and for
 *   each message function its fixed text: the part before the first value it
 *   fills in, and every other fixed part of 12 characters or more.
 * - docs/SECURITY.md's "How each guarantee is tested" covers every
 *   guarantee, and each row's test files and quoted test titles exist.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as agentIdentity from '../src/messages/agent-identity.js'
import * as authJson from '../src/messages/auth-json.js'
import * as chatgpt from '../src/messages/chatgpt.js'
import * as endpoints from '../src/messages/endpoints.js'
import * as files from '../src/messages/files.js'
import * as inputs from '../src/messages/inputs.js'
import * as keylessSettings from '../src/messages/keyless-settings.js'
import * as network from '../src/messages/network.js'
import * as pat from '../src/messages/pat.js'
import * as postStep from '../src/messages/post-step.js'
import * as restrictions from '../src/messages/restrictions.js'
import * as rotatedTokens from '../src/messages/rotated-tokens.js'
import * as runner from '../src/messages/runner.js'
import * as shared from '../src/messages/shared.js'
import * as systemPolicy from '../src/messages/system-policy.js'
import * as tokenSource from '../src/messages/token-source.js'
import * as workloadIdentity from '../src/messages/workload-identity.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const guide = fs.readFileSync(
  path.join(ROOT, 'docs/TROUBLESHOOTING.md'),
  'utf8'
)
const security = fs.readFileSync(path.join(ROOT, 'docs/SECURITY.md'), 'utf8')

/** A placeholder no message contains, numbered by argument. */
const slot = (i: number): string => `⟦${i}⟧`

/**
 * Renders a message function with placeholders. Arguments are strings, or
 * one-element arrays for functions that join a list (an array of one
 * placeholder renders the same in a template).
 */
function render(fn: (...args: unknown[]) => string): string {
  const strings = Array.from({ length: fn.length }, (_, i) => slot(i))
  try {
    return fn(...strings)
  } catch {
    return fn(...strings.map((s) => [s]))
  }
}

/** The fixed parts of a rendered message, in order. */
function fixedParts(rendered: string): string[] {
  return rendered.split(/⟦\d+⟧/)
}

/** Every module of src/messages/ that holds texts, by file name. */
const TOPICS: Readonly<Record<string, object>> = {
  'agent-identity.ts': agentIdentity,
  'auth-json.ts': authJson,
  'chatgpt.ts': chatgpt,
  'endpoints.ts': endpoints,
  'files.ts': files,
  'inputs.ts': inputs,
  'keyless-settings.ts': keylessSettings,
  'network.ts': network,
  'pat.ts': pat,
  'post-step.ts': postStep,
  'restrictions.ts': restrictions,
  'rotated-tokens.ts': rotatedTokens,
  'runner.ts': runner,
  'system-policy.ts': systemPolicy,
  'token-source.ts': tokenSource,
  'workload-identity.ts': workloadIdentity
}

/**
 * The pieces texts are built from (a status line, a sentence's end): no
 * message of their own, covered through the texts that use them.
 */
const PIECES: Readonly<Record<string, object>> = { 'shared.ts': shared }

const entries = Object.values(TOPICS).flatMap(
  (topic) => Object.entries(topic) as [string, unknown][]
)
const constants = entries.filter(
  (e): e is [string, string] => typeof e[1] === 'string'
)
const functions = entries.filter(
  (e): e is [string, (...args: unknown[]) => string] =>
    typeof e[1] === 'function'
)

/**
 * What of message `name` the guide lacks: nothing, or the text (verbatim
 * constant, or fixed parts of a function) that is missing.
 */
function missingFromGuide(name: string, message: unknown): string[] {
  if (typeof message === 'string') {
    return guide.includes(message.trim()) ? [] : [message.trim()]
  }
  // A table of texts (one per error code): each text is a message.
  if (typeof message === 'object' && message !== null) {
    return Object.entries(message).flatMap(([key, text]) =>
      missingFromGuide(`${name}.${key}`, text)
    )
  }
  const parts = fixedParts(render(message as (...args: unknown[]) => string))
    .map((p) => p.trim())
    .filter((p, i) => (i === 0 && p !== '') || p.length >= 12)
  // Beyond the prefix, every fixed part long enough to mean something: two
  // messages often share a prefix ("Login is restricted to …").
  if (parts.length === 0) return [`${name} has no fixed text to look for`]
  return parts.filter((p) => !guide.includes(p))
}

describe('docs/TROUBLESHOOTING.md', () => {
  it('checks every module of src/messages/', () => {
    // A new topic module must be listed above, or its texts go unchecked.
    const modules = fs
      .readdirSync(path.join(ROOT, 'src/messages'))
      .filter((f) => f.endsWith('.ts'))
      .sort()
    expect(modules).toEqual(
      [...Object.keys(TOPICS), ...Object.keys(PIECES)].sort()
    )
    // Each text lives in one module: a name used twice would be ambiguous.
    const names = entries.map(([name]) => name)
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([])
  })

  it('covers src/messages/ (sanity: there is something to cover)', () => {
    expect(constants.length).toBeGreaterThan(20)
    expect(functions.length).toBeGreaterThan(20)
  })

  it('every message of src/messages/ is in the guide', () => {
    // Named, so a failure says which message to document and what of it.
    const missing = entries.flatMap(([name, message]) =>
      missingFromGuide(name, message).map((text) => `${name}: ${text}`)
    )
    expect(missing).toEqual([])
  })
})

/** One row of "How each guarantee is tested". */
interface TestedRow {
  head: string
  guarantees: number[]
  paths: string[]
  titles: string[]
}

function testedRows(): TestedRow[] {
  const at = security.indexOf('## How each guarantee is tested')
  const section = security.slice(at).split(/\n## /)[0]!
  return section
    .split(/\n- /)
    .slice(1)
    .map((row) => {
      const head = /^\*\*([^*]+)\*\*/.exec(row)?.[1] ?? row.slice(0, 40)
      const numbers = /^([\d, ]+)\s+—/.exec(head)?.[1] ?? ''
      return {
        head,
        guarantees: numbers
          .split(',')
          .map((n) => Number(n.trim()))
          .filter((n) => n > 0),
        paths: [...row.matchAll(/`(__tests__\/[^`]+)`/g)].map((m) => m[1]!),
        titles: [...row.matchAll(/"([^"]+)"/g)].map((m) =>
          m[1]!.replace(/\s+/g, ' ')
        )
      }
    })
}

/** Every test file a row names (a folder stands for its test files). */
function testFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    const full = path.join(ROOT, p)
    if (!fs.existsSync(full)) return []
    if (!fs.statSync(full).isDirectory()) return [full]
    return fs
      .readdirSync(full)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => path.join(full, f))
  })
}

/** Whether `file` declares a test or group titled exactly `title`. */
function declaresTest(file: string, title: string): boolean {
  const text = fs.readFileSync(file, 'utf8').replace(/\s+/g, ' ')
  return [`'${title}'`, `"${title}"`, `\`${title}\``].some((quoted) =>
    new RegExp(
      `\\b(it|test|describe)(\\.each\\([^)]*\\))?\\(\\s*${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`
    ).test(text)
  )
}

describe('docs/SECURITY.md', () => {
  const guaranteeCount = [...security.matchAll(/^(\d+)\. \*\*/gm)].length
  const rows = testedRows()

  it('has a tested row for every guarantee it makes', () => {
    expect(guaranteeCount).toBeGreaterThanOrEqual(7)
    const covered = new Set(rows.flatMap((r) => r.guarantees))
    const untested = Array.from(
      { length: guaranteeCount },
      (_, i) => i + 1
    ).filter((n) => !covered.has(n))
    expect(untested).toEqual([])
  })

  it.each(rows.map((r) => [r.head, r] as const))(
    '%s: names test files that exist and a test each of them declares',
    (_head, row) => {
      expect(row.paths.length).toBeGreaterThan(0)
      const missingPaths = row.paths.filter(
        (p) => !fs.existsSync(path.join(ROOT, p))
      )
      expect(missingPaths).toEqual([])
      expect(row.titles.length).toBeGreaterThan(0)
      const files = testFiles(row.paths)
      const unknownTitles = row.titles.filter(
        (title) => !files.some((file) => declaresTest(file, title))
      )
      expect(unknownTitles).toEqual([])
    }
  )
})
