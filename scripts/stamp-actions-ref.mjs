#!/usr/bin/env node
// Rewrites every reference to this repository's actions and reusable workflows
// (`OWNER/REPO/actions/<name>@REF`, `OWNER/REPO/.github/workflows/<file>@REF`) in the reusable
// workflows, the starter templates, the zizmor config and docs/, and records the new value in
// .github/actions-ref (the one place that says which owner/repo@ref the workflows use).
//
//   node scripts/stamp-actions-ref.mjs <owner/repo> <ref>   rewrite (e.g. at release: acme/tf v2.1.0)
//   node scripts/stamp-actions-ref.mjs --check              exit 1 when a reference disagrees
//   --root <dir>                                            work on another checkout (tests)
//
// A reference is ours when its path names one of ./actions/<name>/action.yml or
// ./.github/workflows/<file>: whatever owner/repo@ref it carries, --check wants the recorded one.
// `uses: ./actions/x` inside a reusable workflow is reported too: it would resolve in the caller's
// repository, not this one.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REF_FILE = '.github/actions-ref'
const REPO_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9._-]+$/
const REF_RE = /^[A-Za-z0-9._][A-Za-z0-9._/-]*$/

export function readActionsRef(root) {
  const file = join(root, REF_FILE)
  const text = readFileSync(file, 'utf8').trim()
  const at = text.lastIndexOf('@')
  const repo = text.slice(0, at)
  const ref = text.slice(at + 1)
  if (at < 0 || !REPO_RE.test(repo) || !REF_RE.test(ref)) {
    throw new Error(`${REF_FILE} must hold one line <owner>/<repo>@<ref>, got ${JSON.stringify(text)}`)
  }
  return { repo, ref }
}

function listFiles(dir, pattern) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => join(dir, e.name))
    .sort()
}

/** Files that may hold references: workflows, templates, the zizmor config, docs. */
export function stampedFiles(root) {
  return [
    ...listFiles(join(root, '.github/workflows'), /\.ya?ml$/),
    ...listFiles(join(root, 'workflows-templates'), /\.ya?ml$/),
    ...listFiles(join(root, '.github'), /^zizmor\.ya?ml$/),
    ...listFiles(join(root, 'docs'), /\.md$/),
  ]
}

function localNames(root) {
  const actionsDir = join(root, 'actions')
  const actions = existsSync(actionsDir)
    ? readdirSync(actionsDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(actionsDir, e.name, 'action.yml')))
        .map((e) => e.name)
    : []
  const workflows = listFiles(join(root, '.github/workflows'), /\.ya?ml$/).map((f) => f.slice(f.lastIndexOf('/') + 1))
  return { actions: new Set(actions), workflows: new Set(workflows) }
}

// owner/repo/(actions/<name> | .github/workflows/<file>)@ref, anywhere in a line.
const REMOTE_RE =
  /([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+)\/(actions\/[A-Za-z0-9._-]+|\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml)@([A-Za-z0-9._/-]+)/g
const LOCAL_USES_RE = /^\s*(?:-\s+)?uses:\s*["']?\.\/(actions\/[A-Za-z0-9._-]+)/

/** Every reference to one of our actions or workflows, with its line. */
export function findReferences(root) {
  const names = localNames(root)
  const refs = []
  for (const file of stampedFiles(root)) {
    const lines = readFileSync(file, 'utf8').split('\n')
    lines.forEach((line, i) => {
      for (const m of line.matchAll(REMOTE_RE)) {
        const [whole, repo, path, ref] = m
        const ours = path.startsWith('actions/')
          ? names.actions.has(path.slice('actions/'.length))
          : names.workflows.has(path.slice('.github/workflows/'.length))
        if (ours) refs.push({ file: relative(root, file), line: i + 1, text: whole, repo, path, ref })
      }
      const local = LOCAL_USES_RE.exec(line)
      if (local && /\.ya?ml$/.test(file)) {
        refs.push({
          file: relative(root, file),
          line: i + 1,
          text: `./${local[1]}`,
          repo: '.',
          path: local[1],
          ref: '',
        })
      }
    })
  }
  return refs
}

/** References that disagree with .github/actions-ref (and the zizmor policy line). */
export function checkReferences(root) {
  const { repo, ref } = readActionsRef(root)
  const problems = []
  for (const r of findReferences(root)) {
    if (r.repo === '.') {
      problems.push(`${r.file}:${r.line}: ${r.text} resolves in the caller's repository; use ${repo}/${r.path}@${ref}`)
    } else if (r.repo !== repo || r.ref !== ref) {
      problems.push(`${r.file}:${r.line}: ${r.text} should be ${repo}/${r.path}@${ref}`)
    }
  }
  const zizmor = join(root, '.github/zizmor.yml')
  if (existsSync(zizmor) && !readFileSync(zizmor, 'utf8').includes(`"${repo}/*"`)) {
    problems.push(`.github/zizmor.yml: the unpinned-uses policy must name "${repo}/*"`)
  }
  return problems
}

/** Rewrites every reference to newRepo@newRef and records it; returns the files changed. */
export function stamp(root, newRepo, newRef) {
  if (!REPO_RE.test(newRepo)) throw new Error(`owner/repo expected, got ${JSON.stringify(newRepo)}`)
  if (!REF_RE.test(newRef)) throw new Error(`a git ref (tag, branch or SHA) expected, got ${JSON.stringify(newRef)}`)
  const { repo: oldRepo } = readActionsRef(root)
  const names = localNames(root)
  const changed = []
  for (const file of stampedFiles(root)) {
    const before = readFileSync(file, 'utf8')
    let after = before.replace(REMOTE_RE, (whole, repo, path, _ref) => {
      const ours = path.startsWith('actions/')
        ? names.actions.has(path.slice('actions/'.length))
        : names.workflows.has(path.slice('.github/workflows/'.length))
      return ours ? `${newRepo}/${path}@${newRef}` : whole
    })
    if (/zizmor\.ya?ml$/.test(file)) after = after.split(`"${oldRepo}/*"`).join(`"${newRepo}/*"`)
    if (after !== before) {
      writeFileSync(file, after)
      changed.push(relative(root, file))
    }
  }
  writeFileSync(join(root, REF_FILE), `${newRepo}@${newRef}\n`)
  return changed
}

function main(argv) {
  let root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const args = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = resolve(argv[++i] ?? '.')
    else args.push(argv[i])
  }
  if (args[0] === '--check' && args.length === 1) {
    const { repo, ref } = readActionsRef(root)
    const problems = checkReferences(root)
    for (const p of problems) console.error(p)
    const count = findReferences(root).length
    if (problems.length > 0) {
      console.error(`stamp-actions-ref: ${problems.length} reference(s) disagree with ${REF_FILE} (${repo}@${ref})`)
      return 1
    }
    console.log(`stamp-actions-ref: all ${count} references use ${repo}@${ref}`)
    return 0
  }
  if (args.length !== 2) {
    console.error('usage: node scripts/stamp-actions-ref.mjs <owner/repo> <ref> | --check [--root <dir>]')
    return 2
  }
  const changed = stamp(root, args[0], args[1])
  console.log(`stamp-actions-ref: ${args[0]}@${args[1]} written to ${REF_FILE}; ${changed.length} file(s) rewritten`)
  for (const f of changed) console.log(`  ${f}`)
  const problems = checkReferences(root)
  for (const p of problems) console.error(p)
  return problems.length > 0 ? 1 : 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2))
  } catch (error) {
    console.error(`stamp-actions-ref: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
