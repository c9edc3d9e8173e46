import type { Resolved } from '../src/credentials/types.js'
import { buildSummary } from '../src/summary.js'
import { renderGfm } from './support/markdown.js'

const resolved = (over: Partial<Resolved>): Resolved => ({
  mode: 'personalAccessToken',
  source: { label: 'input access-token' },
  secrets: [],
  authorization: 'Bearer at-x',
  fedramp: false,
  authJson: {},
  env: {},
  config: {},
  warnings: [],
  facts: [],
  ...over
})

const summary = (over: Partial<Resolved>, ids: string[] = []): string =>
  renderGfm(
    buildSummary({
      resolved: resolved(over),
      ignored: [],
      policy: {
        workspaceRules: ids.length > 0 ? [{ ids, from: 'input' }] : []
      },
      home: '/tmp/codex-home-1',
      exportedEnv: ['CODEX_HOME']
    })
  )

/** Tags a hostile value could add: anything but the table's own. */
const FOREIGN_TAG =
  /<(?!\/?(table|thead|tbody|tr|th|td|code|h3|blockquote|p)\b)/i

describe('the job summary shows server values as text', () => {
  it.each([
    ['accountId', '<img src=x onerror=alert(1)>'],
    ['planType', '![All checks passed](https://evil.example/ok.png)'],
    ['taskId', 'task | forged | row'],
    ['agentRuntimeId', '[Sign in again](https://evil.example/login)'],
    ['accountId', 'acct\r\n### All checks passed'],
    ['taskId', '`a` **b** https://evil.example']
  ] as const)('%s %j renders inert', (field, value) => {
    const html = summary({ [field]: value })
    expect(html).not.toMatch(FOREIGN_TAG)
    expect(html).not.toMatch(/<h3>All checks/)
    // Still one row per fact: no cell break injected.
    for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
      expect(row.match(/<td>/g)?.length ?? 2).toBe(2)
    }
  })

  it('a warning quoting a server error renders as text', () => {
    const html = summary({
      warnings: [
        'Failed to refresh token: 500: <b>ok</b> ![x](https://e.example/i.png) [login](https://e.example) www.e.example a@e.example'
      ]
    })
    expect(html).not.toMatch(FOREIGN_TAG)
    expect(html).toContain('&lt;b&gt;ok&lt;/b&gt;')
  })

  it('workspace ids from the policy render as code', () => {
    const html = summary({}, ['ws-1', '<script>x</script>'])
    expect(html).toContain('<code>ws-1</code>')
    expect(html).not.toMatch(FOREIGN_TAG)
  })

  it('plain values still read as they are', () => {
    const html = summary({ accountId: 'acct-1', taskId: 'task-123' })
    expect(html).toContain('<td><code>acct-1</code></td>')
    expect(html).toContain('<td><code>task-123</code></td>')
  })
})
