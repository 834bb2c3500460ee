// The workflow lint gate: scripts/lint-workflows.sh runs actionlint (with shellcheck) and zizmor
// (regular persona, offline) and must pass with zero findings; the same tools must catch the
// mistakes the gate exists for. Tools come from scripts/setup/lint-tools.sh (run by .ci/run).
import { describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../support/workflow-files.js'

const ACTIONLINT = join(ROOT, '.tools/bin/actionlint')
const ZIZMOR = join(ROOT, '.tools/zizmor-venv/bin/zizmor')
const PATH = `${join(ROOT, '.tools/bin')}:${process.env.PATH ?? ''}`
const offline = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH, NO_COLOR: '1' }
  delete env.GH_TOKEN
  delete env.GITHUB_TOKEN
  delete env.ZIZMOR_GITHUB_TOKEN
  return env
}

function run(cmd: string, args: string[]): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: offline() })
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` }
}

function fixture(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-lint-'))
  const file = join(dir, 'bad.yml')
  writeFileSync(file, body)
  return file
}

const HEADER = `name: bad
on:
  pull_request:
permissions: {}
jobs:
  job:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
`

describe('workflow lint gate', () => {
  test('the tools are installed (bash scripts/setup/lint-tools.sh)', () => {
    expect([ACTIONLINT, existsSync(ACTIONLINT)]).toEqual([ACTIONLINT, true])
    expect([ZIZMOR, existsSync(ZIZMOR)]).toEqual([ZIZMOR, true])
    expect(spawnSync('bash', ['-c', 'command -v shellcheck'], { env: { PATH } }).status).toBe(0)
  })

  test('scripts/lint-workflows.sh: zero findings on .github/workflows and workflows-templates', () => {
    const r = run('bash', ['scripts/lint-workflows.sh'])
    expect(r.out).toContain('actionlint: no findings')
    expect(r.out).toContain('No findings to report')
    expect(r.status).toBe(0)
    // Every reusable workflow and every template was linted (11 files at least).
    expect(Number(/on (\d+) files/.exec(r.out)?.[1])).toBeGreaterThanOrEqual(11)
  })

  test('the lint scripts themselves pass shellcheck', () => {
    const r = run('shellcheck', ['scripts/setup/lint-tools.sh', 'scripts/lint-workflows.sh'])
    expect(r.out.trim()).toBe('')
    expect(r.status).toBe(0)
  })

  test('actionlint catches an undeclared step output, and shellcheck runs on run: scripts', () => {
    const file = fixture(`${HEADER}      - id: a
        run: echo "x=1" >> "$GITHUB_OUTPUT"
      - env:
          X: \${{ steps.b.outputs.x }}
        run: rm $X
`)
    const r = run(ACTIONLINT, ['-no-color', file])
    expect(r.status).toBe(1)
    expect(r.out).toMatch(/property "b" is not defined/)
    expect(r.out).toMatch(/shellcheck reported issue.*SC2086/)
  })

  test('zizmor catches expressions in run:, unpinned actions and persisted credentials', () => {
    const file = fixture(`${HEADER}      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.pull_request.title }}"
`)
    const r = run(ZIZMOR, ['--offline', '--no-progress', '--config', join(ROOT, '.github/zizmor.yml'), file])
    expect(r.status).not.toBe(0)
    expect(r.out).toContain('template-injection')
    expect(r.out).toContain('unpinned-uses')
    expect(r.out).toContain('artipacked')
  })
})
