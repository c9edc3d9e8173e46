/**
 * Codex's plan type mapping, shared by every ChatGPT-family credential: the
 * `plan-type` output and the primed identity record use the mapped value.
 */

const KNOWN_PLANS = new Set([
  'free',
  'go',
  'plus',
  'pro',
  'prolite',
  'team',
  'self_serve_business_prolite',
  'self_serve_business_usage_based',
  'business',
  'ent26',
  'enterprise_cbp_automation',
  'enterprise_cbp_usage_based',
  'enterprise',
  'edu',
  'edu_plus',
  'edu_pro'
])

const ALIASES: Record<string, string> = { hc: 'enterprise', education: 'edu' }

/** Maps a raw plan claim to Codex's value; anything unknown is `unknown`. */
export function mapPlanType(raw: unknown): string {
  if (typeof raw !== 'string') return 'unknown'
  if (KNOWN_PLANS.has(raw)) return raw
  return ALIASES[raw] ?? 'unknown'
}
