// scripts/release.mjs, what .github/workflows/release.yml runs, on real git repositories: a bare
// "origin" holding a copy of this repository with a tag, fresh clones as the jobs' checkouts. The release
// commit pins every reference to the tagged commit, passes stamp-actions-ref --check and zizmor with no
// configuration, is reproducible, and the tag moves are read back from origin; the notes are CHANGELOG.md's
// section; the GitHub release goes to the local GitHub server.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import { ROOT, parseGithubOutput } from '../../support/workflow-files.js'

// @ts-expect-error: a plain .mjs script without types
const lib = (await import('../../../scripts/release.mjs')) as {
  parseTag: (tag: string) => { version: string; majorTag: string; prerelease: string }
  tagMoves: (tag: string, tags: string[]) => { moveMajor: boolean; latest: boolean }
  changelogSection: (text: string, version: string) => string
  PREPARE_OUTPUTS: string[]
}

const RELEASE = join(ROOT, 'scripts/release.mjs')
const STAMP = join(ROOT, 'scripts/stamp-actions-ref.mjs')
const ZIZMOR = join(ROOT, '.tools/zizmor-venv/bin/zizmor')
const REPOSITORY = 'my-org/tf-pipeline'

interface Result {
  status: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Result {
  const outFile = join(mkdtempSync(join(tmpdir(), 'tfpipe-out-')), 'github_output')
  writeFileSync(outFile, '')
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd }
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...base, GITHUB_OUTPUT: outFile, ...env } })
  return {
    status: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseGithubOutput(readFileSync(outFile, 'utf8')),
  }
}

/** run(), without blocking this process: the local GitHub server answers from it. */
function runAsync(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<Result> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...base, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ status: code ?? -1, stdout, stderr, outputs: {} }))
  })
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.name=Maintainer', '-c', 'user.email=m@example.com', '-c', 'advice.detachedHead=false', ...args],
    { cwd, encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

const release = (cwd: string, ...args: string[]) => run(process.execPath, [RELEASE, ...args, '--root', cwd], cwd)

/** CHANGELOG.md as a maintainer leaves it before tagging `version`: the Unreleased entries moved under it. */
function changelogFor(version: string): string {
  const text = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')
  expect(text).toContain('\n## [Unreleased]\n')
  return text.replace('\n## [Unreleased]\n', `\n## [Unreleased]\n\n## [${version}] - 2026-12-02\n`)
}

/** The section of `version`, cut by hand: from the line after its heading to the next `## ` or the link definitions. */
function sectionByHand(text: string, version: string): string {
  const start = text.indexOf(`## [${version}]`)
  const from = text.indexOf('\n', start) + 1
  const next = text.indexOf('\n## ', from)
  const links = text.indexOf('\n[Unreleased]: ')
  const end = next >= 0 ? next : links
  return `${text.slice(from, end).trim()}\n`
}

interface World {
  dir: string
  origin: string
  source: string
}

/** A bare origin holding this repository's release-relevant files on main. */
function makeWorld(): World {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-release-'))
  const origin = join(dir, 'origin.git')
  const source = join(dir, 'source')
  spawnSync('git', ['init', '-q', '--bare', origin])
  spawnSync('git', ['init', '-q', '-b', 'main', source])
  for (const part of ['.github', 'workflows-templates', 'docs', 'actions', 'scripts', 'package.json', 'CHANGELOG.md']) {
    cpSync(join(ROOT, part), join(source, part), { recursive: true, filter: (src) => !src.includes('/node_modules') })
  }
  git(source, 'add', '-A')
  git(source, 'commit', '-q', '-m', 'source')
  git(source, 'remote', 'add', 'origin', origin)
  git(source, 'push', '-q', 'origin', 'main')
  return { dir, origin, source }
}

/** Commits a CHANGELOG with a section for `version`, tags it (annotated, as maintainers do) and pushes. */
function tagVersion(world: World, version: string, extra: Record<string, string> = {}): string {
  writeFileSync(join(world.source, 'CHANGELOG.md'), changelogFor(version))
  for (const [f, text] of Object.entries(extra)) writeFileSync(join(world.source, f), text)
  git(world.source, 'add', '-A')
  git(world.source, 'commit', '-q', '--allow-empty', '-m', `prepare v${version}`)
  git(world.source, 'tag', '-a', `v${version}`, '-m', `v${version}`)
  git(world.source, 'push', '-q', 'origin', 'main', `refs/tags/v${version}`)
  return git(world.source, 'rev-parse', 'HEAD')
}

let clones = 0
/** A fresh checkout of `ref`, as actions/checkout makes it (fetch-depth 0: every tag). */
function checkout(world: World, ref: string): string {
  const dir = join(world.dir, `checkout-${clones++}`)
  spawnSync('git', ['clone', '-q', world.origin, dir])
  git(dir, 'checkout', '-q', ref)
  return dir
}

/** origin's tag, peeled to the commit it names. */
function remoteTag(world: World, tag: string): string | undefined {
  const lines = git(world.dir, 'ls-remote', world.origin, `refs/tags/${tag}`, `refs/tags/${tag}^{}`)
    .split('\n')
    .filter(Boolean)
  const peeled = lines.find((l) => l.endsWith('^{}')) ?? lines[0]
  return peeled?.split('\t')[0]
}

/** Workflows and starter templates, as scripts/lint-workflows.sh lints them. */
function lintedFiles(dir: string): string[] {
  const workflows = spawnSync('bash', ['-c', 'ls .github/workflows/*.yml'], { cwd: dir, encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
  const templates = ['plan', 'apply', 'drift', 'rollback', 'layers'].map(
    (n) => `workflows-templates/terraform-${n}.yml`,
  )
  return [...workflows, ...templates]
}

const zizmorNoConfig = (dir: string) =>
  run(
    ZIZMOR,
    ['--offline', '--persona', 'regular', '--no-progress', '--color', 'never', '--no-config', ...lintedFiles(dir)],
    dir,
  )

describe('release.mjs: tags, moves and notes', () => {
  test('parseTag takes v1.2.3 and v1.2.3-rc.1 and refuses anything else in one line', () => {
    expect(lib.parseTag('v1.2.3')).toMatchObject({ version: '1.2.3', majorTag: 'v1', prerelease: '' })
    expect(lib.parseTag('v2.0.0-rc.1')).toMatchObject({ version: '2.0.0-rc.1', majorTag: 'v2', prerelease: 'rc.1' })
    for (const bad of ['1.2.3', 'v1.2', 'v01.2.3', 'v1.2.3.4', 'v1.2.3-', 'release-1']) {
      expect(() => lib.parseTag(bad)).toThrow(
        `the tag must look like v1.2.3 (or v1.2.3-rc.1 for a pre-release), got "${bad}"`,
      )
    }
  })

  test('the major tag moves only for the highest stable release of its major; "latest" only for the highest overall', () => {
    const tags = ['v1.0.0', 'v1.1.0', 'v2.0.0', 'v1', 'v2', 'deploy-prod-20261201-101500', 'v3.0.0-rc.1']
    expect(lib.tagMoves('v1.0.1', tags)).toEqual({ moveMajor: false, latest: false })
    expect(lib.tagMoves('v1.2.0', tags)).toEqual({ moveMajor: true, latest: false })
    expect(lib.tagMoves('v2.0.1', tags)).toEqual({ moveMajor: true, latest: true })
    expect(lib.tagMoves('v1.1.0', tags)).toEqual({ moveMajor: true, latest: false })
    expect(lib.tagMoves('v3.0.0-rc.2', tags)).toEqual({ moveMajor: false, latest: false })
    expect(lib.tagMoves('v3.0.0', tags)).toEqual({ moveMajor: true, latest: true })
  })

  test("the notes are exactly the version's section of CHANGELOG.md", () => {
    const text = changelogFor('1.4.0').replace(
      '## [1.4.0] - 2026-12-02\n',
      '## [1.4.0] - 2026-12-02\n\n### Fixed\n\n- one thing\n\n## [1.3.0] - 2026-11-01\n\n- older\n',
    )
    expect(lib.changelogSection(text, '1.4.0')).toBe('### Fixed\n\n- one thing\n')
    // The last section stops before the link definitions.
    const last = changelogFor('1.0.0')
    const notes = lib.changelogSection(last, '1.0.0')
    expect(notes).toBe(sectionByHand(last, '1.0.0'))
    expect(notes).toContain('**Breaking:** `terraform-plan.yml` and `terraform-drift.yml` take read-only plan roles')
    expect(notes).not.toContain('[Unreleased]:')
    expect(() => lib.changelogSection(last, '9.9.9')).toThrow(
      'CHANGELOG.md has no section for 9.9.9: move the Unreleased entries under "## [9.9.9] - <date>" and tag that commit',
    )
    expect(() => lib.changelogSection('# Changelog\n\n## [2.0.0] - 2026-12-02\n\n## [1.0.0]\n- x\n', '2.0.0')).toThrow(
      "CHANGELOG.md's section for 2.0.0 is empty: list what changed",
    )
  })
})

describe('release.mjs on a clone of this repository', () => {
  let world: World
  let github: GitHubServer
  let source: string
  let releaseSha: string
  beforeAll(async () => {
    world = makeWorld()
    github = await startGitHubServer()
    source = tagVersion(world, '1.0.0')
  })
  afterAll(async () => github?.close())

  test('prepare: every reference pinned to the tagged commit, --check agrees, only references changed, notes = the section', () => {
    const dir = checkout(world, 'v1.0.0')
    const before = run(process.execPath, [STAMP, '--root', dir, '--check'], dir)
    const count = Number(/all (\d+) references/.exec(before.stdout)?.[1])
    expect(count).toBeGreaterThanOrEqual(40)

    const r = release(dir, 'prepare', 'v1.0.0', '--repository', REPOSITORY)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    releaseSha = git(dir, 'rev-parse', 'HEAD')
    expect(Object.keys(r.outputs)).toEqual(lib.PREPARE_OUTPUTS)
    expect(r.outputs).toEqual({
      'already-released': 'false',
      'source-sha': source,
      'release-sha': releaseSha,
      version: '1.0.0',
      'major-tag': 'v1',
      'move-major': 'true',
      prerelease: 'false',
      latest: 'true',
    })
    expect(git(dir, 'rev-parse', 'HEAD^')).toBe(source)
    expect(git(dir, 'show', '-s', '--format=%s', 'HEAD')).toBe('release: v1.0.0')

    const check = run(process.execPath, [STAMP, '--root', dir, '--check'], dir)
    expect([check.status, check.stderr]).toEqual([0, ''])
    expect(check.stdout).toContain(`all ${count} references use ${REPOSITORY}@${source}`)
    const apply = readFileSync(join(dir, '.github/workflows/terraform-apply.yml'), 'utf8')
    expect(apply).toContain(`uses: ${REPOSITORY}/actions/safety-gate@${source}`)
    expect(apply).not.toMatch(/terraform-pipeline-actions\/actions\/[a-z-]+@/)
    expect(readFileSync(join(dir, 'workflows-templates/terraform-plan.yml'), 'utf8')).toContain(
      `uses: ${REPOSITORY}/.github/workflows/terraform-plan.yml@${source}`,
    )
    expect(readFileSync(join(dir, 'docs/workflows.md'), 'utf8')).toContain(
      `uses: ${REPOSITORY}/.github/workflows/terraform-apply.yml@${source}`,
    )

    // Only references changed: actions/, scripts/ and every other file are the tagged commit's.
    const changed = git(dir, 'diff', '--name-status', source, 'HEAD').split('\n')
    expect(changed).toContain('D\t.github/zizmor.yml')
    expect(changed).toContain('M\t.github/actions-ref')
    for (const line of changed)
      expect(line).toMatch(
        /^[MD]\t(\.github\/workflows\/terraform-[a-z]+\.yml|workflows-templates\/terraform-[a-z]+\.yml|docs\/[a-z-]+\.md|\.github\/actions-ref|\.github\/zizmor\.yml)$/,
      )
    expect(
      git(
        dir,
        'diff',
        '--stat',
        source,
        'HEAD',
        '--',
        'actions',
        'dist',
        'scripts',
        '.github/workflows/release.yml',
        'CHANGELOG.md',
      ),
    ).toBe('')

    const notes = release(dir, 'notes', 'v1.0.0')
    expect(notes.stdout).toBe(sectionByHand(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8'), '1.0.0'))
  })

  test('zizmor with no configuration: findings on the tagged commit (the movable @v1), none on the release commit', () => {
    const tagged = zizmorNoConfig(checkout(world, 'v1.0.0'))
    expect(tagged.status).not.toBe(0)
    expect(tagged.stdout).toContain('unpinned-uses')
    const dir = checkout(world, 'v1.0.0')
    expect(release(dir, 'prepare', 'v1.0.0', '--repository', REPOSITORY).status).toBe(0)
    const released = zizmorNoConfig(dir)
    expect([released.status, released.stdout.trim().split('\n').pop()]).toEqual([
      0,
      expect.stringMatching(/^No findings to report/),
    ])
    // The verify job's step: scripts/lint-workflows.sh (actionlint, shellcheck, zizmor) on the release commit.
    symlinkSync(join(ROOT, '.tools'), join(dir, '.tools'))
    const lint = run('bash', ['scripts/lint-workflows.sh'], dir)
    expect([lint.status, lint.stderr.includes('findings above must be fixed')]).toEqual([0, false])
    expect(lint.stdout).toContain('actionlint: no findings')
    expect(lint.stdout).toContain('(regular persona, offline, --no-config)')
  })

  test('the release commit is reproducible: another checkout builds the same SHA, and --expect refuses any other', () => {
    const again = checkout(world, 'v1.0.0')
    const r = release(again, 'prepare', 'v1.0.0', '--repository', REPOSITORY, '--expect', releaseSha)
    expect([r.status, r.stderr]).toEqual([0, ''])
    const other = checkout(world, 'v1.0.0')
    const wrong = release(other, 'prepare', 'v1.0.0', '--repository', REPOSITORY, '--expect', 'f'.repeat(40))
    expect(wrong.status).toBe(1)
    expect(wrong.stderr.trim()).toBe(
      `release: the release commit is ${releaseSha}, not ${'f'.repeat(40)} (what the verify job built): the tag moved meanwhile?`,
    )
  })

  test('push moves v1.0.0 and v1 on origin at once; without RELEASE_TOKEN nothing is pushed', () => {
    const dir = checkout(world, 'v1.0.0')
    expect(release(dir, 'prepare', 'v1.0.0', '--repository', REPOSITORY).status).toBe(0)
    const noToken = release(dir, 'push', 'v1.0.0')
    expect(noToken.status).toBe(1)
    expect(noToken.stderr.trim()).toBe(
      'release: RELEASE_TOKEN is empty: add a repository secret RELEASE_TOKEN, a fine-grained token (or GitHub App token) for this repository with Contents and Workflows: read and write',
    )
    expect(remoteTag(world, 'v1.0.0')).toBe(source)
    expect(remoteTag(world, 'v1')).toBeUndefined()

    const r = run(process.execPath, [RELEASE, 'push', 'v1.0.0', '--root', dir], dir, {
      RELEASE_TOKEN: 'not-used-by-a-file-remote',
    })
    expect([r.status, r.stderr]).toEqual([0, ''])
    expect(r.stdout.trim()).toBe(`pushed refs/tags/v1.0.0, refs/tags/v1 -> ${releaseSha}`)
    expect(remoteTag(world, 'v1.0.0')).toBe(releaseSha)
    expect(remoteTag(world, 'v1')).toBe(releaseSha)
  })

  test('on the release commit (its own tag push, a re-run) prepare changes nothing; a re-run on the tagged commit pushes the same objects', () => {
    const atRelease = checkout(world, 'v1.0.0')
    const r = release(atRelease, 'prepare', 'v1.0.0', '--repository', REPOSITORY)
    expect(r.status).toBe(0)
    expect(r.outputs['already-released']).toBe('true')
    expect(r.outputs['release-sha']).toBe(releaseSha)
    expect(r.outputs['source-sha']).toBe(source)
    expect(git(atRelease, 'status', '--porcelain')).toBe('')

    const rerun = checkout(world, source)
    expect(release(rerun, 'prepare', 'v1.0.0', '--repository', REPOSITORY, '--expect', releaseSha).status).toBe(0)
    const tagObject = git(world.dir, 'ls-remote', world.origin, 'refs/tags/v1.0.0').split('\t')[0]
    const pushed = run(process.execPath, [RELEASE, 'push', 'v1.0.0', '--root', rerun], rerun, { RELEASE_TOKEN: 'x' })
    expect([pushed.status, pushed.stderr]).toEqual([0, ''])
    expect(git(world.dir, 'ls-remote', world.origin, 'refs/tags/v1.0.0').split('\t')[0]).toBe(tagObject)
  })

  test('a newer minor moves v1; a later patch of the older line leaves v1 where it is', () => {
    tagVersion(world, '1.1.0')
    const minor = checkout(world, 'v1.1.0')
    expect(release(minor, 'prepare', 'v1.1.0', '--repository', REPOSITORY).outputs['move-major']).toBe('true')
    expect(
      run(process.execPath, [RELEASE, 'push', 'v1.1.0', '--root', minor], minor, { RELEASE_TOKEN: 'x' }).status,
    ).toBe(0)
    const v11 = git(minor, 'rev-parse', 'HEAD')
    expect(remoteTag(world, 'v1')).toBe(v11)

    // v1.0.1 is tagged on a maintenance commit of the 1.0 line, after 1.1.0.
    git(world.source, 'checkout', '-q', '-b', 'release-1.0', source)
    tagVersion(world, '1.0.1')
    const patch = checkout(world, 'v1.0.1')
    const r = release(patch, 'prepare', 'v1.0.1', '--repository', REPOSITORY)
    expect(r.outputs).toMatchObject({ 'move-major': 'false', latest: 'false' })
    expect(r.stdout).toContain('v1 stays (a higher v1.x.y exists, or a pre-release)')
    expect(
      run(process.execPath, [RELEASE, 'push', 'v1.0.1', '--root', patch], patch, { RELEASE_TOKEN: 'x' }).stdout.trim(),
    ).toBe(`pushed refs/tags/v1.0.1 -> ${git(patch, 'rev-parse', 'HEAD')}`)
    expect(remoteTag(world, 'v1')).toBe(v11)
    git(world.source, 'checkout', '-q', 'main')
  })

  test('two releases racing for v1: the one whose view is stale pushes nothing', () => {
    tagVersion(world, '1.2.0')
    const slow = checkout(world, 'v1.2.0')
    expect(release(slow, 'prepare', 'v1.2.0', '--repository', REPOSITORY).status).toBe(0)
    // Meanwhile another run moved v1 (here: by hand, to main's head).
    git(world.source, 'push', '-q', '--force', 'origin', 'HEAD:refs/tags/v1')
    const moved = remoteTag(world, 'v1')
    const r = run(process.execPath, [RELEASE, 'push', 'v1.2.0', '--root', slow], slow, { RELEASE_TOKEN: 'x' })
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      'release: refs/tags/v1.2.0 or refs/tags/v1 changed on origin while this release ran (another release?): nothing was pushed; re-run this workflow',
    )
    expect(remoteTag(world, 'v1')).toBe(moved)
    expect(remoteTag(world, 'v1.2.0')).toBe(git(world.source, 'rev-parse', 'v1.2.0^{commit}'))
  })

  test('no section for the tag in CHANGELOG.md: refused before anything is stamped', () => {
    git(world.source, 'tag', '-a', 'v1.9.0', '-m', 'v1.9.0')
    git(world.source, 'push', '-q', 'origin', 'refs/tags/v1.9.0')
    const dir = checkout(world, 'v1.9.0')
    const r = release(dir, 'prepare', 'v1.9.0', '--repository', REPOSITORY)
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      'release: CHANGELOG.md has no section for 1.9.0: move the Unreleased entries under "## [1.9.0] - <date>" and tag that commit',
    )
    expect(git(dir, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(dir, '.github/zizmor.yml'))).toBe(true)
  })

  test('publish creates the GitHub release with the notes, then updates it in place', async () => {
    const dir = checkout(world, 'v1.0.0')
    const env = { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'test-token' }
    const first = await runAsync(
      process.execPath,
      [RELEASE, 'publish', 'v1.0.0', '--repository', REPOSITORY, '--latest', 'true', '--root', dir],
      dir,
      env,
    )
    expect([first.status, first.stderr]).toEqual([0, ''])
    expect(first.stdout.trim()).toBe(`created the release v1.0.0: https://github.com/${REPOSITORY}/releases/tag/v1.0.0`)
    const again = await runAsync(
      process.execPath,
      [RELEASE, 'publish', 'v1.0.0', '--repository', REPOSITORY, '--latest', 'true', '--root', dir],
      dir,
      env,
    )
    expect(again.stdout.trim()).toMatch(/^updated the release v1\.0\.0/)
    const releases = github.releases()
    expect(releases).toHaveLength(1)
    expect(releases[0]).toMatchObject({
      tag_name: 'v1.0.0',
      name: 'v1.0.0',
      draft: false,
      prerelease: false,
      make_latest: 'true',
    })
    expect(releases[0]!.body).toBe(sectionByHand(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8'), '1.0.0'))
    expect(github.requests.filter((q) => q.path.includes('/releases')).map((q) => q.method)).toEqual([
      'GET',
      'POST',
      'GET',
      'PATCH',
    ])
  })

  test('publish: a token without contents: write gets one line naming the permission', async () => {
    const dir = checkout(world, 'v1.1.0')
    github.failNext(
      { method: 'GET', path: `/repos/${REPOSITORY}/releases/tags/v1.1.0` },
      { status: 403, body: { message: 'Resource not accessible by integration' } },
    )
    const r = await runAsync(
      process.execPath,
      [RELEASE, 'publish', 'v1.1.0', '--repository', REPOSITORY, '--root', dir],
      dir,
      { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'test-token' },
    )
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      'release: GitHub answered 403 for the release of v1.1.0: Resource not accessible by integration (the job needs permissions: contents: write)',
    )
  })
})
