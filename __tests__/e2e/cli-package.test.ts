// The CLI outside the clone: `npm pack` the repository, install the tarball into an empty directory
// (no registry needed: the CLI is one ncc bundle and the package has no runtime dependencies) and run
// `npx tfpipe` there on files copied out of the clone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { repoRoot } from '../support/run-action.js'

let work: string
let app: string
let tarball: string
let packed: string[]

const env = {
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  HOME: process.env.HOME ?? '/tmp',
  npm_config_update_notifier: 'false',
}
function run(cmd: string, args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tfpipe-pack-'))
  const pack = run('npm', ['pack', '--json', '--pack-destination', work], repoRoot)
  expect(pack.code).toBe(0)
  const [info] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }]
  tarball = join(work, info.filename)
  packed = info.files.map((f) => f.path).sort()
  app = join(work, 'app')
  run('mkdir', ['-p', app], work)
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n')
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], app)
  expect(install).toMatchObject({ code: 0 })
  copyFileSync(join(repoRoot, '__tests__', 'fixtures', 'plans', 'create.json'), join(app, 'plan.json'))
  copyFileSync(join(repoRoot, 'examples', 'policy', 'terraform-policy.yml'), join(app, 'terraform-policy.yml'))
}, 180_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the packed CLI', () => {
  it('holds the bundle and its launcher only: no TypeScript sources, no dependencies to install', () => {
    // dist/cli: the bundle and the chunks ncc splits off (an optional dependency's lazy require)
    const bundle = readdirSync(join(repoRoot, 'dist', 'cli')).map((f) => `dist/cli/${f}`)
    expect(bundle).toContain('dist/cli/index.js')
    expect(packed).toEqual(['README.md', 'bin/tfpipe.js', ...bundle, 'package.json'].sort())
  })

  it('npx tfpipe --help lists the commands', () => {
    const r = run('npx', ['tfpipe', '--help'], app)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: tfpipe <command> \[flags\]/)
    for (const c of ['plan-comment', 'gate', 'deployments', 'state', 'notify'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'))
  })

  it('npx tfpipe gate decides on a plan JSON with the example policy (0 allowed, 1 refused)', () => {
    const allowed = run(
      'npx',
      [
        'tfpipe',
        'gate',
        '--env',
        'dev',
        '--plan-json',
        'plan.json',
        '--policy',
        'terraform-policy.yml',
        '--now',
        '2026-11-22T20:00:00Z',
      ],
      app,
    )
    expect(allowed.stdout.split('\n')[0]).toBe('ALLOWED: deploy to dev')
    expect(allowed.code).toBe(0)
    const refused = run(
      'npx',
      [
        'tfpipe',
        'gate',
        '--env',
        'prod',
        '--plan-json',
        'plan.json',
        '--policy',
        'terraform-policy.yml',
        '--now',
        '2026-11-22T20:00:00Z',
      ],
      app,
    )
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(/ticket\s+change ticket required: set --ticket/)
  })
})
