// The credential kinds the self-test workflow runs a job for, one each:
// inputs.mjs takes one of them, check-log.mjs wants one log of each.
export const KINDS = [
  'apikey',
  'agentIdentity',
  'personalAccessToken',
  'chatgpt',
  'workloadIdentity'
]
