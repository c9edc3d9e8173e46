import { mapPlanType } from '../../src/credentials/plan-type.js'

describe('mapPlanType (Codex mapping)', () => {
  it.each([
    ['plus', 'plus'],
    ['enterprise_cbp_usage_based', 'enterprise_cbp_usage_based'],
    ['edu_pro', 'edu_pro'],
    ['hc', 'enterprise'],
    ['education', 'edu'],
    ['Plus', 'unknown'],
    ['platinum', 'unknown'],
    [undefined, 'unknown'],
    [3, 'unknown']
  ])('%p → %s', (raw, mapped) => expect(mapPlanType(raw)).toBe(mapped))
})
