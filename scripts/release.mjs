#!/usr/bin/env node
// The release of a version tag (what .github/workflows/release.yml runs), in four commands:
//
//   node scripts/release.mjs notes <tag>                        print CHANGELOG.md's section of that version
//   node scripts/release.mjs prepare <tag> --repository <o/r>   build the release commit and move the tags locally
//        [--expect <sha>]                                       fail unless the release commit is exactly <sha>
//   node scripts/release.mjs push <tag> [--remote origin]       push the moved tag (and major tag) at once, with
//                                                               leases; RELEASE_TOKEN authenticates (env only)
//   node scripts/release.mjs publish <tag> --repository <o/r>   create or update the GitHub release (notes)
//        [--prerelease true|false] [--latest true|false]
//   --root <dir>                                                work on another checkout (tests)
//
// prepare, on a checkout of the tagged commit T: every reference the reusable workflows, the starter
// templates and docs/ make to this repository's actions and workflows is stamped to <o/r>@T
// (scripts/stamp-actions-ref.mjs), .github/zizmor.yml (whose only job is to allow the movable @v1 on the
// default branch) is removed, and that is committed as the release commit R, child of T. The tag then
// names R, so `uses: o/r/.github/workflows/terraform-apply.yml@<tag or R>` runs the actions at T, whose
// actions/ and dist/ are byte-identical to R's (checked here). R is reproducible: fixed identity, T's
// commit date, so the verify job and the release job build the same SHA from the same tag (--expect).
// The major tag (v1) moves to R only when this is the highest stable release of that major.
// On a checkout that already is a release commit (the tag push of the release itself, a re-run),
// prepare changes nothing and says so (already-released=true).
//
// No npm dependency on purpose: the job that holds the write token installs nothing (no `npm ci`), so no
// third-party package code runs next to it. That is why `publish` speaks to the REST API with Node's
// fetch (three calls) instead of Octokit.
import { spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkReferences, findReferences, stamp, stampedFiles } from './stamp-actions-ref.mjs'

export class ReleaseError extends Error {}

const IDENTITY = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' }
const TAG_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/
const REPO_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9._-]+$/

/** v1.2.3 or v1.2.3-rc.1 -> its parts; anything else is refused. */
export function parseTag(tag) {
  const m = TAG_RE.exec(tag ?? '')
  if (!m)
    throw new ReleaseError(
      `the tag must look like v1.2.3 (or v1.2.3-rc.1 for a pre-release), got ${JSON.stringify(tag ?? '')}`,
    )
  return {
    tag,
    version: tag.slice(1),
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] ?? '',
    majorTag: `v${m[1]}`,
  }
}

/** Stable versions only (pre-releases never move v1 nor become "latest"). */
function compare(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/** Whether this release moves its major tag and is the repository's latest release, given all tags. */
export function tagMoves(tag, allTags) {
  const t = parseTag(tag)
  if (t.prerelease) return { moveMajor: false, latest: false }
  const stable = allTags
    .filter((x) => TAG_RE.test(x))
    .map(parseTag)
    .filter((x) => !x.prerelease)
  return {
    moveMajor: stable.filter((x) => x.major === t.major).every((x) => compare(x, t) <= 0),
    latest: stable.every((x) => compare(x, t) <= 0),
  }
}

const LINK_DEF_RE = /^\[[^\]]+\]:\s*\S+/

/**
 * The body of `## [<version>]` (Keep a Changelog; `## <version>` and a `v` prefix are accepted too) up
 * to the next `## ` heading, without the link definitions that close the file. Refused when missing or
 * empty: a release without notes is a release nobody can read.
 */
export function changelogSection(text, version) {
  const lines = text.split(/\r?\n/)
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const heading = new RegExp(`^##\\s+\\[?v?${escaped}\\]?(?:\\s|$)`)
  const start = lines.findIndex((l) => heading.test(l))
  if (start < 0) {
    throw new ReleaseError(
      `CHANGELOG.md has no section for ${version}: move the Unreleased entries under "## [${version}] - <date>" and tag that commit`,
    )
  }
  let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l))
  if (end < 0) end = lines.length
  const body = lines.slice(start + 1, end)
  while (body.length > 0 && (body.at(-1).trim() === '' || LINK_DEF_RE.test(body.at(-1)))) body.pop()
  const notes = body.join('\n').trim()
  if (notes === '') throw new ReleaseError(`CHANGELOG.md's section for ${version} is empty: list what changed`)
  return `${notes}\n`
}

function git(root, args, env = {}, trim = true) {
  const r = spawnSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env },
  })
  if (r.status !== 0)
    throw new ReleaseError(
      `git ${args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? ''} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`,
    )
  return trim ? r.stdout.trim() : r.stdout
}

const tryGit = (root, args) => {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}

/** Author, committer and tagger of the release objects: fixed, dated like the tagged commit. */
function releaseEnv(root, commit) {
  const date = git(root, ['show', '-s', '--format=%ct', commit])
  return {
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
    GIT_AUTHOR_DATE: `@${date} +0000`,
    GIT_COMMITTER_DATE: `@${date} +0000`,
  }
}

const commitMessage = (tag, source) =>
  [
    `release: ${tag}`,
    '',
    `Every reference the reusable workflows, the starter templates and docs/ make to this repository's`,
    `actions and workflows is stamped to ${source}, the commit tagged ${tag} was pushed for; its actions/`,
    `and dist/ are identical to this commit's. Made by scripts/release.mjs.`,
    '',
  ].join('\n')

/**
 * The tagged source commit when `commit` is the release commit of `tag` (the tag push of the release
 * itself, a re-run): its subject says so and its .github/actions-ref names its parent.
 */
function releasedCommit(root, tag, commit) {
  const parent = tryGit(root, ['rev-parse', '--verify', '-q', `${commit}^`])
  if (!parent || git(root, ['show', '-s', '--format=%s', commit]) !== `release: ${tag}`) return undefined
  const recorded = tryGit(root, ['show', `${commit}:.github/actions-ref`]) ?? ''
  return recorded.slice(recorded.lastIndexOf('@') + 1) === parent ? parent : undefined
}

/**
 * Builds the release commit of `tag` on top of HEAD (see the header) and points the local tags at it.
 * Returns what the workflow needs: the SHAs, whether the major tag moves, whether it is the latest.
 */
export function prepare(root, { tag, repository, expect }) {
  const t = parseTag(tag)
  if (!REPO_RE.test(repository ?? ''))
    throw new ReleaseError(`--repository must be <owner>/<repo>, got ${JSON.stringify(repository ?? '')}`)
  const notes = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), t.version)
  const head = git(root, ['rev-parse', 'HEAD'])
  const tagged = tryGit(root, ['rev-parse', '--verify', '-q', `refs/tags/${tag}^{commit}`])
  const moves = tagMoves(tag, git(root, ['tag', '-l', 'v*']).split('\n').filter(Boolean))
  const base = { ...t, ...moves, notes }

  const source = releasedCommit(root, tag, head)
  if (source) {
    if (tagged !== undefined && tagged !== head) {
      throw new ReleaseError(`HEAD ${head} is the release commit of ${tag}, but ${tag} names ${tagged}`)
    }
    return {
      ...base,
      already: true,
      sourceSha: source,
      releaseSha: head,
      references: findReferences(root).length,
      changed: [],
    }
  }
  if (tagged !== undefined && tagged !== head && releasedCommit(root, tag, tagged) !== head) {
    throw new ReleaseError(`${tag} names ${tagged}, not the checked-out commit ${head}: check out the tag`)
  }
  if (git(root, ['status', '--porcelain', '--untracked-files=no']) !== '') {
    throw new ReleaseError('the checkout has uncommitted changes: release from a clean checkout of the tag')
  }

  stamp(root, repository, head)
  if (existsSync(join(root, '.github/zizmor.yml'))) rmSync(join(root, '.github/zizmor.yml'))

  const problems = checkReferences(root)
  const references = findReferences(root)
  for (const r of references)
    if (r.repo !== repository || r.ref !== head) problems.push(`${r.file}:${r.line}: ${r.text} is not stamped`)
  if (references.length === 0) problems.push('no reference to this repository was found: nothing would pin the actions')
  const allowed = new Set([
    ...stampedFiles(root).map((f) => relative(root, f)),
    '.github/actions-ref',
    '.github/zizmor.yml',
  ])
  const changed = git(root, ['status', '--porcelain', '-z'], {}, false)
    .split('\0')
    .filter(Boolean)
    .map((l) => l.slice(3))
  for (const f of changed)
    if (!allowed.has(f)) problems.push(`${f}: changed by stamping, but only references may change`)
  if (problems.length > 0) throw new ReleaseError(`the stamped tree is not releasable:\n  ${problems.join('\n  ')}`)

  const env = releaseEnv(root, head)
  git(root, ['add', '-A', '--', ...changed])
  git(root, ['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', commitMessage(tag, head)], env)
  const release = git(root, ['rev-parse', 'HEAD'])
  if (expect && expect !== release) {
    throw new ReleaseError(
      `the release commit is ${release}, not ${expect} (what the verify job built): the tag moved meanwhile?`,
    )
  }
  // What the remote had when this checkout was made: push moves the tags only if it still has that.
  const lease = { [tag]: tryGit(root, ['rev-parse', '--verify', '-q', `refs/tags/${tag}`]) ?? '' }
  if (moves.moveMajor)
    lease[t.majorTag] = tryGit(root, ['rev-parse', '--verify', '-q', `refs/tags/${t.majorTag}`]) ?? ''
  writeFileSync(leaseFile(root), `${JSON.stringify(lease)}\n`)
  git(
    root,
    [
      '-c',
      'tag.gpgsign=false',
      'tag',
      '-f',
      '-a',
      tag,
      '-m',
      `${tag}\n\nActions and workflows pinned to ${head}.`,
      release,
    ],
    env,
  )
  if (moves.moveMajor) git(root, ['tag', '-f', t.majorTag, release])
  return { ...base, already: false, sourceSha: head, releaseSha: release, references: references.length, changed }
}

const leaseFile = (root) => resolve(root, git(root, ['rev-parse', '--git-path', 'tfpipe-release.json']))

/**
 * Pushes the tag and, when prepare moved it, the major tag, in one atomic push. Each ref is replaced
 * only if the remote still has what this checkout saw (a lease): two releases racing for v1 cannot
 * silently undo each other. Then reads the remote back.
 */
export function push(root, { tag, remote = 'origin', token }) {
  parseTag(tag)
  if (!existsSync(leaseFile(root)))
    throw new ReleaseError(`run prepare ${tag} first: it builds the release commit this pushes`)
  const lease = JSON.parse(readFileSync(leaseFile(root), 'utf8'))
  const release = git(root, ['rev-parse', `refs/tags/${tag}^{commit}`])
  const refs = Object.keys(lease).map((name) => `refs/tags/${name}`)
  // The token reaches git through a credential helper reading the environment: never on a command line.
  const auth = token
    ? [
        '-c',
        'credential.helper=',
        '-c',
        'credential.helper=!f() { test "$1" = get || exit 0; echo username=x-access-token; echo "password=$TFPIPE_RELEASE_TOKEN"; }; f',
      ]
    : []
  const leases = Object.entries(lease).map(([name, old]) => `--force-with-lease=refs/tags/${name}:${old}`)
  const r = spawnSync('git', [...auth, 'push', '--atomic', ...leases, remote, ...refs.map((x) => `${x}:${x}`)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...(token ? { TFPIPE_RELEASE_TOKEN: token } : {}) },
  })
  if (r.status !== 0) {
    const text = `${r.stderr}\n${r.stdout}`
    if (/workflows?` permission|without `workflows`|GH013/.test(text)) {
      throw new ReleaseError(
        'RELEASE_TOKEN may not push a commit that changes .github/workflows: give it Workflows: read and write (and Contents: read and write)',
      )
    }
    if (/stale info/.test(text)) {
      throw new ReleaseError(
        `${refs.join(' or ')} changed on ${remote} while this release ran (another release?): nothing was pushed; re-run this workflow`,
      )
    }
    throw new ReleaseError(
      `git push to ${remote} failed: ${text.trim().split('\n').filter(Boolean).pop() ?? 'no output'}`,
    )
  }
  const remoteRefs = git(
    root,
    [...auth, 'ls-remote', remote, ...refs.flatMap((x) => [x, `${x}^{}`])],
    token ? { TFPIPE_RELEASE_TOKEN: token } : {},
  )
  // An annotated tag is listed twice: the tag object, then `<ref>^{}` with the commit it names.
  const peeled = new Map()
  for (const line of remoteRefs.split('\n').filter(Boolean)) {
    const [sha, ref] = line.split('\t')
    if (ref.endsWith('^{}')) peeled.set(ref.slice(0, -3), sha)
    else if (!peeled.has(ref)) peeled.set(ref, sha)
  }
  for (const x of refs) {
    if (peeled.get(x) !== release)
      throw new ReleaseError(`${remote} has ${x} at ${peeled.get(x) ?? 'nothing'}, not ${release}`)
  }
  return { release, pushed: refs }
}

/** Creates the GitHub release of `tag`, or updates it (a re-run): name, notes, pre-release, latest. */
export async function publish({ apiUrl, token, repository, tag, notes, prerelease, latest, fetchImpl = fetch }) {
  parseTag(tag)
  if (!REPO_RE.test(repository ?? ''))
    throw new ReleaseError(`--repository must be <owner>/<repo>, got ${JSON.stringify(repository ?? '')}`)
  if (!token) throw new ReleaseError('GITHUB_TOKEN is empty: the publish step needs a token with contents: write')
  const base = `${(apiUrl || 'https://api.github.com').replace(/\/+$/, '')}/repos/${repository}/releases`
  const call = async (method, url, body) => {
    const res = await fetchImpl(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'tfpipe-release',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    let json
    try {
      json = text ? JSON.parse(text) : {}
    } catch {
      json = {}
    }
    return { status: res.status, json }
  }
  const fields = {
    name: tag,
    body: notes,
    draft: false,
    prerelease: Boolean(prerelease),
    make_latest: latest ? 'true' : 'false',
  }
  const found = await call('GET', `${base}/tags/${encodeURIComponent(tag)}`)
  const res =
    found.status === 200 && typeof found.json.id === 'number'
      ? await call('PATCH', `${base}/${found.json.id}`, fields)
      : found.status === 404
        ? await call('POST', base, { tag_name: tag, ...fields })
        : found
  if (res.status !== 200 && res.status !== 201) {
    const hint = res.status === 403 || res.status === 404 ? ' (the job needs permissions: contents: write)' : ''
    const detail = [res.json.message, ...(res.json.errors ?? []).map((e) => e.message ?? e.code)]
      .filter(Boolean)
      .join(': ')
    throw new ReleaseError(
      `GitHub answered ${res.status} for the release of ${tag}${detail ? `: ${detail}` : ''}${hint}`,
    )
  }
  return { id: res.json.id, url: res.json.html_url, created: res.status === 201 }
}

// ---- command line -------------------------------------------------------------------------------

function options(argv) {
  const flags = {}
  const args = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      const value = argv[i + 1]
      if (value === undefined || value.startsWith('--')) throw new ReleaseError(`${a} needs a value`)
      flags[a.slice(2)] = value
      i++
    } else args.push(a)
  }
  return { flags, args }
}

/** What `prepare` writes to GITHUB_OUTPUT (the workflow's contract test reads this list). */
export const PREPARE_OUTPUTS = [
  'already-released',
  'source-sha',
  'release-sha',
  'version',
  'major-tag',
  'move-major',
  'prerelease',
  'latest',
]

function output(values) {
  const file = process.env.GITHUB_OUTPUT
  if (!file) return
  for (const [k, v] of Object.entries(values)) {
    const text = String(v)
    if (text.includes('\n'))
      appendFileSync(file, `${k}<<TFPIPE_EOF\n${text}${text.endsWith('\n') ? '' : '\n'}TFPIPE_EOF\n`)
    else appendFileSync(file, `${k}=${text}\n`)
  }
}

const bool = (v, name) => {
  if (v === undefined || v === 'false') return false
  if (v === 'true') return true
  throw new ReleaseError(`--${name} must be true or false, got ${JSON.stringify(v)}`)
}

async function main(argv) {
  const [command, ...rest] = argv
  const { flags, args } = options(rest)
  const root = resolve(flags.root ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'))
  const tag = args[0]
  const usage =
    'usage: node scripts/release.mjs notes|prepare|push|publish <tag> [--repository o/r] [--root dir] (see the header)'
  if (!command || !tag || args.length !== 1) {
    console.error(usage)
    return 2
  }
  if (command === 'notes') {
    process.stdout.write(changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), parseTag(tag).version))
    return 0
  }
  if (command === 'prepare') {
    const r = prepare(root, { tag, repository: flags.repository, expect: flags.expect })
    const values = {
      'already-released': r.already,
      'source-sha': r.sourceSha,
      'release-sha': r.releaseSha,
      version: r.version,
      'major-tag': r.majorTag,
      'move-major': r.moveMajor,
      prerelease: r.prerelease !== '',
      latest: r.latest,
    }
    output(Object.fromEntries(PREPARE_OUTPUTS.map((k) => [k, values[k]])))
    if (r.already) {
      console.log(
        `${tag} already names its release commit ${r.releaseSha} (actions pinned to ${r.sourceSha}): nothing to stamp`,
      )
    } else {
      console.log(
        `release commit ${r.releaseSha} for ${tag}: ${r.references} references pinned to ${r.sourceSha}; ${r.changed.length} files changed`,
      )
      console.log(
        `${tag} -> ${r.releaseSha}; ${r.moveMajor ? `${r.majorTag} -> ${r.releaseSha}` : `${r.majorTag} stays (a higher ${r.majorTag}.x.y exists, or a pre-release)`}`,
      )
    }
    return 0
  }
  if (command === 'push') {
    const token = process.env.RELEASE_TOKEN ?? ''
    if (token === '') {
      throw new ReleaseError(
        'RELEASE_TOKEN is empty: add a repository secret RELEASE_TOKEN, a fine-grained token (or GitHub App token) for this repository with Contents and Workflows: read and write',
      )
    }
    const r = push(root, { tag, remote: flags.remote ?? 'origin', token })
    console.log(`pushed ${r.pushed.join(', ')} -> ${r.release}`)
    return 0
  }
  if (command === 'publish') {
    const notes = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), parseTag(tag).version)
    const r = await publish({
      apiUrl: process.env.GITHUB_API_URL,
      token: process.env.GITHUB_TOKEN ?? '',
      repository: flags.repository,
      tag,
      notes,
      prerelease: bool(flags.prerelease, 'prerelease'),
      latest: bool(flags.latest, 'latest'),
    })
    console.log(`${r.created ? 'created' : 'updated'} the release ${tag}: ${r.url ?? r.id}`)
    return 0
  }
  console.error(usage)
  return 2
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error) => {
      const message =
        error instanceof ReleaseError ? error.message : error instanceof Error ? error.message : String(error)
      console.error(`release: ${message}`)
      process.exitCode = 1
    },
  )
}
