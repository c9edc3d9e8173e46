/**
 * docs/TROUBLESHOOTING.md covers every message the action can print: each
 * exported constant of src/messages.ts verbatim, and for each message
 * function its fixed text: the part before the first value it fills in, and
 * every other fixed part of 12 characters or more.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as messages from '../src/messages.js'

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

const entries = Object.entries(messages) as [string, unknown][]
const constants = entries.filter(
  (e): e is [string, string] => typeof e[1] === 'string'
)
const functions = entries.filter(
  (e): e is [string, (...args: unknown[]) => string] =>
    typeof e[1] === 'function'
)

describe('docs/TROUBLESHOOTING.md', () => {
  it('covers messages.ts (sanity: there is something to cover)', () => {
    expect(constants.length).toBeGreaterThan(20)
    expect(functions.length).toBeGreaterThan(20)
  })

  it.each(constants)('quotes %s verbatim', (_name, text) => {
    expect(guide).toContain(text.trim())
  })

  it.each(functions)('quotes the fixed text of %s', (_name, fn) => {
    const parts = fixedParts(render(fn)).map((p) => p.trim())
    const prefix = parts[0] ?? ''
    if (prefix !== '') expect(guide).toContain(prefix)
    // Beyond the prefix, every fixed part long enough to mean something:
    // two messages often share a prefix ("Login is restricted to …").
    const meaningful = parts.filter((p) => p.length >= 12)
    expect(prefix !== '' || meaningful.length > 0).toBe(true)
    for (const part of meaningful) expect(guide).toContain(part)
  })
})

describe('docs/SECURITY.md', () => {
  it.each([
    'Threat model',
    'later step',
    'self-hosted',
    'fork',
    'masked',
    'How each guarantee is tested'
  ])('talks about %s', (topic) => {
    expect(security.toLowerCase()).toContain(topic.toLowerCase())
  })

  it('names test files that exist', () => {
    const named = [...security.matchAll(/`(__tests__\/[^`]+\.ts)`/g)].map(
      (m) => m[1]!
    )
    expect(named.length).toBeGreaterThan(4)
    for (const file of named) {
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true)
    }
  })
})
