// Reads the logs of the finished self-test jobs (fetched through the GitHub
// API by the workflow's last job, since nothing inside a job can see its
// own post step) and checks, for each:
//   - the post step removed the primed home the job's check step named;
//   - a later step that printed CODEX_AUTHORIZATION shows `***`: the
//     action's `::add-mask::` lines took effect for the rest of the job;
//   - nothing credential-shaped appears in clear anywhere in the log (JWTs,
//     `sk-`/`at-`/`rt-` tokens, Bearer or AgentAssertion values).
// Each kind must have exactly one log.
//
//   node scripts/self-test/check-log.mjs <job log>...
import console from 'node:console'
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { KINDS } from './kinds.mjs'

const ECHO_PREFIX = 'CODEX_AUTHORIZATION as a later step prints it: '

/** Credential shapes that must never reach a log unmasked. */
const LEAKS = [
  ['a JWT', /eyJ[\w-]{8,}\.[\w-]{8,}/],
  ['an API key', /\bsk-[\w-]{20,}/],
  // Random, so mixed case with digits: not a hyphenated English phrase.
  [
    'an access or refresh token',
    /\b[ar]t-(?=[\w-]*[A-Z])(?=[\w-]*\d)[\w-]{24,}/
  ],
  [
    'an Authorization value',
    /\b(?:Bearer|AgentAssertion) (?!\*\*\*)[\w.~+/=-]{12,}/
  ]
]

/** A job log line without the runner's timestamp. */
function text(line) {
  return line
    .replace(/^\uFEFF?\d{4}-\d\d-\d\dT[\d:.]+Z ?/, '')
    .replace(/\r$/, '')
}

function checkLog(file) {
  const lines = readFileSync(file, 'utf8').split('\n').map(text)
  const problems = []
  const value = (prefix) =>
    lines
      .find((l) => l.startsWith(prefix))
      ?.slice(prefix.length)
      .trim()
  const kind = value('self-test kind: ')
  const home = value('self-test primed home: ')
  if (!kind)
    problems.push('no "self-test kind:" line (did the check step run?)')
  if (!home) {
    problems.push('no "self-test primed home:" line')
  } else if (
    !lines.some((l) => l.includes(`Removed the primed Codex home ${home}.`))
  ) {
    problems.push(`the post step did not report removing ${home}`)
  }
  const echoed = lines.filter((l) => l.startsWith(ECHO_PREFIX))
  if (echoed.length === 0)
    problems.push('no line where a later step printed CODEX_AUTHORIZATION')
  for (const line of echoed) {
    if (line !== `${ECHO_PREFIX}***`) {
      problems.push(
        'CODEX_AUTHORIZATION printed by a later step is not fully masked'
      )
    }
  }
  lines.forEach((line, i) => {
    for (const [what, pattern] of LEAKS) {
      if (pattern.test(line)) problems.push(`line ${i + 1}: ${what} in clear`)
    }
  })
  return { kind, problems }
}

const files = process.argv.slice(2)
if (files.length === 0) {
  console.error('Usage: node scripts/self-test/check-log.mjs <job log>...')
  process.exit(2)
}
const seen = new Map()
let failed = false
for (const file of files) {
  const { kind, problems } = checkLog(file)
  const name = kind ?? file
  if (kind) seen.set(kind, (seen.get(kind) ?? 0) + 1)
  for (const problem of problems) console.error(`${name} (${file}): ${problem}`)
  if (problems.length > 0) failed = true
  else console.log(`ok   ${name}: post step cleaned up, log masked`)
}
for (const kind of KINDS) {
  if (seen.get(kind) !== 1) {
    console.error(
      `expected one log of the ${kind} job, found ${seen.get(kind) ?? 0}`
    )
    failed = true
  }
}
process.exit(failed ? 1 : 0)
