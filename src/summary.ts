/**
 * The job summary: a table of non-secret facts about what the action did.
 * Pure: builds markdown from values that are never secrets. Values that came
 * from a server or a token (ids, plan, warnings quoting an error body) are
 * made inert, so they cannot render as links, images or HTML.
 */
import type { Resolved } from './credentials/types.js'
import type { Policy } from './policy/rules.js'
import { inertCode, inertMarkdown } from './runner/inert.js'
import { ACTION_VERSION } from './version.js'

export interface SummaryInput {
  resolved: Resolved
  ignored: string[]
  policy: Policy
  home: string
  exportedEnv: string[]
  /** Names the primed config.toml keeps from the commands the model runs. */
  modelExcludes?: readonly string[]
  /** Workload identity: the token file the token source serves. */
  tokenFile?: { mode: 'fifo' | 'file'; path: string }
}

const MODE_NAMES: Record<Resolved['mode'], string> = {
  apikey: 'API key',
  agentIdentity: 'Agent Identity',
  personalAccessToken: 'Personal access token',
  chatgpt: 'ChatGPT login',
  workloadIdentity: 'Workload identity (keyless)'
}

/** Escapes text for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/(?<!\\)\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/**
 * Keyless runs: the rule, the audience and the OIDC claims the exchange
 * accepted (what a user needs to write or fix a rule), the expiry and where
 * Codex reads its tokens. Never a token. Every value came from an input or
 * a token, so it is shown inert.
 */
function keylessRows(input: SummaryInput): [string, string][] {
  const workload = input.resolved.workload
  if (!workload) return []
  const rows: [string, string][] = [
    ['Federation rule', inertCode(workload.federationRuleId)],
    ['OIDC audience', inertCode(workload.audience)],
    [
      'OIDC claims (preflight token)',
      workload.claims === '' ? 'none' : inertMarkdown(workload.claims)
    ],
    ['Preflight exchange', inertCode(workload.exchangeUrl)],
    ['Access token expires', inertCode(workload.expiresAt)]
  ]
  if (input.tokenFile) {
    rows.push([
      'Identity token file',
      `${inertCode(input.tokenFile.path)} (${input.tokenFile.mode})`
    ])
  }
  return rows
}

/** Builds the summary markdown. */
export function buildSummary(input: SummaryInput): string {
  const { resolved, policy } = input
  const rows: [string, string][] = [
    ['Mode', `${MODE_NAMES[resolved.mode]} (\`${resolved.mode}\`)`],
    ['Credential from', resolved.source.label],
    ['Ignored sources', input.ignored.join(', ') || 'none'],
    [
      'Login method policy',
      policy.loginMethod
        ? `${policy.loginMethod} (${policy.loginMethodFrom ?? ''})`
        : 'none'
    ],
    [
      'Workspace policy',
      policy.workspaceRules.length > 0
        ? policy.workspaceRules
            .map((r) => `${r.ids.map(inertCode).join(', ')} (${r.from})`)
            .join('; ')
        : 'none'
    ]
  ]
  if (resolved.accountId) rows.push(['Account', inertCode(resolved.accountId)])
  if (resolved.planType) rows.push(['Plan', inertCode(resolved.planType)])
  if (resolved.agentRuntimeId) {
    rows.push(['Agent runtime', inertCode(resolved.agentRuntimeId)])
  }
  if (resolved.taskId) rows.push(['Task', inertCode(resolved.taskId)])
  rows.push(['FedRAMP', resolved.fedramp ? 'yes' : 'no'])
  rows.push(...keylessRows(input))
  rows.push(...resolved.facts)
  rows.push(['Primed Codex home', input.home])
  rows.push([
    'Env exported',
    input.exportedEnv.length > 0
      ? input.exportedEnv.map((n) => `\`${n}\``).join(', ')
      : 'none (export-env: false)'
  ])
  if (input.modelExcludes && input.modelExcludes.length > 0) {
    rows.push([
      "Kept from the model's commands",
      input.modelExcludes.map((n) => `\`${n}\``).join(', ')
    ])
  }
  rows.push(['Action version', ACTION_VERSION])

  const lines = [
    '### Codex credentials',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)
  ]
  if (resolved.warnings.length > 0) {
    lines.push(
      '',
      ...resolved.warnings.map((w) => `> [!WARNING]\n> ${inertMarkdown(w)}`)
    )
  }
  return lines.join('\n') + '\n'
}
