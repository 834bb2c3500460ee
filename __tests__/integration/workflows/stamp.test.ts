// scripts/stamp-actions-ref.mjs: one place (.github/actions-ref) says which owner/repo@ref the reusable
// workflows and templates use for this repository's actions; --check proves every reference agrees,
// and stamping a release rewrites them all (and the zizmor policy) in one go.
import { describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, actionsRef } from '../../support/workflow-files.js'

const SCRIPT = join(ROOT, 'scripts/stamp-actions-ref.mjs')

function stampCli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' })
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** A copy of what the script reads: workflows, templates, zizmor config, docs, action contracts. */
function copyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-stamp-'))
  for (const part of ['.github', 'workflows-templates', 'docs', 'actions']) {
    cpSync(join(ROOT, part), join(dir, part), { recursive: true, filter: (src) => !src.includes('/node_modules') })
  }
  return dir
}

describe('stamp-actions-ref', () => {
  test('.github/actions-ref holds one owner/repo@ref', () => {
    const { repo, ref } = actionsRef()
    expect(repo).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/)
    expect(ref).toMatch(/^[A-Za-z0-9._/-]+$/)
  })

  test('--check: every reference in this repository agrees with .github/actions-ref', () => {
    const r = stampCli('--check')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const { repo, ref } = actionsRef()
    const count = Number(/all (\d+) references/.exec(r.stdout)?.[1])
    expect(count).toBeGreaterThanOrEqual(20)
    expect(r.stdout).toContain(`${repo}@${ref}`)
  })

  test('stamping rewrites every reference, the zizmor policy and the ref file; --check then agrees', () => {
    const dir = copyRepo()
    const before = spawnSync(process.execPath, [SCRIPT, '--root', dir, '--check'], { encoding: 'utf8' })
    const count = Number(/all (\d+) references/.exec(before.stdout)?.[1])
    const r = stampCli('--root', dir, 'my-org/tf-pipeline', 'v2.3.0')
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, '.github/actions-ref'), 'utf8')).toBe('my-org/tf-pipeline@v2.3.0\n')
    const apply = readFileSync(join(dir, '.github/workflows/terraform-apply.yml'), 'utf8')
    expect(apply).toContain('uses: my-org/tf-pipeline/actions/safety-gate@v2.3.0')
    expect(apply).not.toContain(actionsRef().repo)
    const template = readFileSync(join(dir, 'workflows-templates/terraform-plan.yml'), 'utf8')
    expect(template).toContain('uses: my-org/tf-pipeline/.github/workflows/terraform-plan.yml@v2.3.0')
    expect(readFileSync(join(dir, '.github/zizmor.yml'), 'utf8')).toContain('"my-org/tf-pipeline/*": ref-pin')
    // Third-party pins are untouched.
    expect(apply).toContain('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1')
    const after = stampCli('--root', dir, '--check')
    expect(after.status).toBe(0)
    expect(after.stdout).toContain(`all ${count} references use my-org/tf-pipeline@v2.3.0`)
  })

  test('--check reports a reference that drifted from the ref file, and a local ./actions path', () => {
    const dir = copyRepo()
    const file = join(dir, '.github/workflows/terraform-drift.yml')
    const text = readFileSync(file, 'utf8')
    const { repo, ref } = actionsRef()
    const drifted = text.replace(`${repo}/actions/drift-check@${ref}`, `${repo}/actions/drift-check@v0-old`)
    expect(drifted).not.toBe(text)
    writeFileSync(file, drifted.replace(`uses: ${repo}/actions/notify-slack@${ref}`, 'uses: ./actions/notify-slack'))
    const r = stampCli('--root', dir, '--check')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`drift-check@v0-old should be ${repo}/actions/drift-check@${ref}`)
    expect(r.stderr).toContain("./actions/notify-slack resolves in the caller's repository")
    expect(r.stderr).toMatch(/2 reference\(s\) disagree/)
  })

  test('refuses malformed owner/repo and refs, and changes nothing', () => {
    const dir = copyRepo()
    const before = readFileSync(join(dir, '.github/actions-ref'), 'utf8')
    for (const args of [
      ['not-a-repo', 'v1'],
      ['a/b', 'v1 && rm -rf /'],
      ['a/b', '-x'],
    ]) {
      const r = stampCli('--root', dir, ...args)
      expect(r.status).not.toBe(0)
    }
    expect(readFileSync(join(dir, '.github/actions-ref'), 'utf8')).toBe(before)
    expect(stampCli('--root', dir).status).toBe(2)
  })
})
