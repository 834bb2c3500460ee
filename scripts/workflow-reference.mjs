// Generates docs/workflows.md, the reference of every reusable workflow (.github/workflows/terraform-*.yml
// with `on: workflow_call`): its inputs (type, required, default, description), secrets and outputs,
// the permissions the calling job must grant (the union of what its jobs ask for: a called job never
// gets more than its caller), and how to call it. The YAML is the one source; `--check` fails when the
// file is stale (a unit test does the same).
//
//   node scripts/workflow-reference.mjs            write docs/workflows.md
//   node scripts/workflow-reference.mjs --check    exit 1 when docs/workflows.md is not current
//   --root <dir>                                   work on another checkout (tests, a release's tree)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const OUT = 'docs/workflows.md'
const LEVEL = { none: 0, read: 1, write: 2 }

/**
 * A table cell: one line, pipes escaped; outside `code`, < becomes &lt; so that text like
 * `repo:ORG/REPO:environment:<env>` or Slack's `<!subteam^S123>` is shown, not taken for HTML.
 */
function cell(text) {
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;')))
    .join('')
    .replace(/\|/g, '\\|')
    .trim()
}

function defaultCell(input) {
  if (!('default' in input)) return ''
  const d = input.default
  if (d === '') return '`""`'
  return `\`${cell(typeof d === 'string' ? d : JSON.stringify(d))}\``
}

/** The header comment's first sentence ("Reusable workflow: deploy one ... environment."), if any. */
function summary(text) {
  const lines = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('#') || /^#\s{2,}\S/.test(line) || /^#\s*$/.test(line)) break
    lines.push(line.replace(/^#\s?/, ''))
  }
  const para = lines
    .join(' ')
    .replace(/^Reusable workflow:\s*/i, '')
    .trim()
  if (para === '') return ''
  const end = para.search(/[.:](\s|$)/)
  const sentence = end < 0 ? para : para.slice(0, end)
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`
}

function callerPermissions(jobs) {
  const union = {}
  for (const job of Object.values(jobs ?? {})) {
    if (typeof job?.permissions !== 'object' || job.permissions === null) continue
    for (const [scope, level] of Object.entries(job.permissions)) {
      if ((LEVEL[level] ?? 0) > (LEVEL[union[scope]] ?? 0)) union[scope] = level
    }
  }
  return Object.entries(union).sort(([a], [b]) => a.localeCompare(b))
}

function actionsRef(root) {
  const text = readFileSync(join(root, '.github/actions-ref'), 'utf8').trim()
  const at = text.lastIndexOf('@')
  return { repo: text.slice(0, at), ref: text.slice(at + 1) }
}

/** The reusable workflows: terraform-*.yml files whose `on:` has workflow_call, by file name. */
export function reusableWorkflows(root) {
  const dir = join(root, '.github/workflows')
  return readdirSync(dir)
    .filter((f) => /^terraform-.+\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8')
      const doc = parse(text) ?? {}
      const call = doc.on?.workflow_call
      return call === undefined ? undefined : { file, text, doc, call: call ?? {} }
    })
    .filter((w) => w !== undefined)
}

function renderWorkflow(root, w, { repo, ref }) {
  const inputs = Object.entries(w.call.inputs ?? {})
  const secrets = Object.entries(w.call.secrets ?? {})
  const outputs = Object.entries(w.call.outputs ?? {})
  const permissions = callerPermissions(w.doc.jobs)
  const template = existsSync(join(root, 'workflows-templates', w.file)) ? `workflows-templates/${w.file}` : ''
  const out = [`## ${w.file}`, '']
  const about = summary(w.text)
  if (about) out.push(about, '')
  if (template) out.push(`Starter caller: [${template}](../${template}).`, '')

  const required = inputs.filter(([, i]) => i?.required === true)
  out.push('```yaml', 'jobs:', `  ${w.file.replace(/^terraform-|\.ya?ml$/g, '')}:`)
  if (permissions.length > 0) {
    out.push('    permissions:')
    for (const [scope, level] of permissions) out.push(`      ${scope}: ${level}`)
  } else out.push('    permissions: {}')
  out.push(`    uses: ${repo}/.github/workflows/${w.file}@${ref}`)
  if (required.length > 0) {
    out.push('    with:')
    for (const [name, i] of required) out.push(`      ${name}: ${i.type === 'string' ? '"…"' : '…'} # required`)
  }
  if (secrets.length > 0) {
    out.push('    secrets:')
    for (const [name] of secrets) out.push(`      ${name}: \${{ secrets.${name} }}`)
  }
  out.push('```', '')

  out.push(`### Inputs (${inputs.length})`, '')
  if (inputs.length === 0) out.push('None.', '')
  else {
    out.push('| input | type | required | default | description |', '|---|---|---|---|---|')
    for (const [name, i] of inputs) {
      out.push(
        `| \`${name}\` | ${i?.type ?? ''} | ${i?.required === true ? 'yes' : 'no'} | ${defaultCell(i ?? {})} | ${cell(i?.description ?? '')} |`,
      )
    }
    out.push('')
  }

  out.push(`### Secrets (${secrets.length})`, '')
  if (secrets.length === 0) out.push('None.', '')
  else {
    out.push('| secret | required | description |', '|---|---|---|')
    for (const [name, s] of secrets)
      out.push(`| \`${name}\` | ${s?.required === true ? 'yes' : 'no'} | ${cell(s?.description ?? '')} |`)
    out.push('')
  }

  out.push(`### Outputs (${outputs.length})`, '')
  if (outputs.length === 0) out.push('None.', '')
  else {
    out.push('| output | description |', '|---|---|')
    for (const [name, o] of outputs) out.push(`| \`${name}\` | ${cell(o?.description ?? '')} |`)
    out.push('')
  }
  return out
}

export function renderReference(root = resolve(fileURLToPath(new URL('..', import.meta.url)))) {
  const workflows = reusableWorkflows(root)
  const ref = actionsRef(root)
  const anchor = (file) => file.replace(/\./g, '').toLowerCase()
  return [
    '# Reusable workflows: inputs, secrets, outputs',
    '',
    'Generated by `node scripts/workflow-reference.mjs` from the `on.workflow_call` block of every',
    '`.github/workflows/terraform-*.yml` (a test fails when it is stale). How the workflows fit together,',
    'the approval flow and the roles are in [pipeline.md](pipeline.md); pinning a release is in the',
    '[README](../README.md#releases-and-pinning).',
    '',
    'The permissions shown are the least the calling job must grant: a job of a called workflow never gets',
    "more than its caller, so each is the most any of the workflow's jobs asks for. Pass secrets by name, as",
    'the starter callers do: a workflow gets only the secrets it declares.',
    '',
    '| workflow | inputs | secrets | outputs |',
    '|---|---|---|---|',
    ...workflows.map(
      (w) =>
        `| [${w.file}](#${anchor(w.file)}) | ${Object.keys(w.call.inputs ?? {}).length} | ${Object.keys(w.call.secrets ?? {}).length} | ${Object.keys(w.call.outputs ?? {}).length} |`,
    ),
    '',
    ...workflows.flatMap((w) => renderWorkflow(root, w, ref)),
  ].join('\n')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root')
  const root = at > 0 ? resolve(process.argv[at + 1] ?? '.') : resolve(fileURLToPath(new URL('..', import.meta.url)))
  const file = join(root, OUT)
  const text = renderReference(root)
  if (process.argv.includes('--check')) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      console.error(`${OUT} is stale: run node scripts/workflow-reference.mjs`)
      process.exit(1)
    }
    console.log(`${OUT} is current.`)
  } else {
    writeFileSync(file, text)
    console.log(`${OUT} written.`)
  }
}
