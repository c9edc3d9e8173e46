import fc from 'fast-check'
import {
  codeText,
  inertCode,
  inertLogLine,
  inertMarkdown,
  showControls
} from '../../src/runner/inert.js'
import { renderGfm } from '../support/markdown.js'

/** The text of one table cell `value`, rendered. */
function renderCell(value: string): string {
  const html = renderGfm(`| k | v |\n|---|---|\n| key | ${value} |\n`)
  const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1])
  expect(cells).toHaveLength(2)
  return cells[1]!
}

/** What a reader sees: the rendered HTML with entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<\/?code>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

const HOSTILE = [
  '![All checks passed](https://evil.example/ok.png)',
  '[Re-run with your token](https://evil.example/login)',
  'https://evil.example/phish',
  'www.evil.example',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">ok</a>',
  '**bold** _em_ ~~gone~~ `code`',
  '# heading',
  'cell | break | here',
  'line\r\n### injected heading',
  'lone\rreturn',
  '\u001b[31mred\u001b[0m',
  'task-##[stop-commands]zz',
  '```\nfenced\n```',
  'back\\slash \\| pipe',
  '&amp; &lt;b&gt;',
  '\u1680ogham and no-break spaces at the ends\u00a0',
  'ok\u202eevil'
]

describe('inertMarkdown', () => {
  it.each(HOSTILE)('renders %j as plain text in a table cell', (value) => {
    const html = renderCell(inertMarkdown(value))
    expect(html).not.toMatch(/<(?!\/?td)[a-z]/i)
    expect(visible(html)).toBe(showControls(value))
  })

  it('renders any string as itself, with controls shown', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        const html = renderCell(inertMarkdown(value))
        expect(html).not.toMatch(/<(?!\/?td)[a-z]/i)
        // A table cell drops the spaces and tabs around its content, not
        // every Unicode space as String.prototype.trim does (U+1680, U+00A0
        // stay).
        expect(visible(html)).toBe(
          showControls(value).replace(/^[ \t]+|[ \t]+$/g, '')
        )
      }),
      { numRuns: 400 }
    )
  })
})

describe('inertCode', () => {
  it.each(HOSTILE)('renders %j literally inside code', (value) => {
    const html = renderCell(inertCode(value))
    expect(html).toMatch(/^<code>[\s\S]*<\/code>$/)
    expect(html.slice(6, -7)).not.toMatch(/<[a-z]/i)
    expect(visible(html)).toBe(codeText(value))
  })

  it('renders any string as itself inside one code span', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        (value) => {
          const html = renderCell(inertCode(value))
          expect(html.startsWith('<code>')).toBe(true)
          expect(html.endsWith('</code>')).toBe(true)
          expect(html.slice(6, -7)).not.toMatch(/<[a-z]/i)
          // CommonMark turns line endings inside code into spaces and drops
          // one space from each end; neither can occur once controls are
          // shown and the value is padded.
          const shown = codeText(value)
          const code = visible(html)
          expect(code === shown || code === shown.trim()).toBe(true)
        }
      ),
      { numRuns: 400 }
    )
  })
})

describe('inertLogLine', () => {
  it.each([
    ['Registered agent task task-##[stop-commands]zz.', /##\[/],
    ['##[error]fake annotation', /##\[/],
    ['::add-mask::x', /^::/],
    ['  ::warning::x', /^\s*::/],
    ['a\nb', /\n/],
    ['a\rb', /\r/],
    ['\u001b[2Jcleared', new RegExp(String.fromCharCode(27))]
  ])('%j is no runner command', (line, forbidden) => {
    const out = inertLogLine(line)
    expect(out).not.toMatch(forbidden)
    expect(out).not.toMatch(/[\r\n]/)
  })

  it('leaves ordinary text alone', () => {
    const line = 'Verified the agent identity against http://[::1]:8080/x.'
    expect(inertLogLine(line)).toBe(line)
  })

  it('never yields a line the runner parses as a command', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        const out = inertLogLine(`Registered agent task ${value}.`)
        expect(out).not.toMatch(/[\r\n]/)
        expect(out).not.toContain('\u001b')
        expect(out).not.toContain('##[')
        expect(inertLogLine(value)).not.toMatch(/^\s*::/)
      }),
      { numRuns: 400 }
    )
  })
})
