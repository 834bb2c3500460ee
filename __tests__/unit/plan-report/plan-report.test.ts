import { describe, expect, it } from '@jest/globals'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { planSecrets } from '@tfpipe/terraform/sensitive-places.js'
import { scrubText } from '@tfpipe/terraform/scrub.js'
import { parsePlanMarker } from '@tfpipe/github/reviewed-plan.js'
import { formatMarker, isMarkerFor, parseMarker } from '@tfpipe/plan-report/marker.js'
import { findTerraformPlanLine } from '@tfpipe/plan-report/counts.js'
import { preparePlan, type PreparedPlan } from '@tfpipe/plan-report/prepared.js'
import { renderComment, renderSummary } from '@tfpipe/plan-report/render.js'
import { renderFailure } from '@tfpipe/plan-report/failure.js'
import { buildReport } from '@tfpipe/plan-report/report.js'
import { ZWJ } from '@tfpipe/markdown/escape.js'
import { fixtureNames, loadPlanFixture, planFixtureHumanText, PLANTED_SECRET } from '../../support/terraform.js'
import { entry, model } from '../../support/plan-model.js'

const view = { environment: 'prod', directory: 'stacks/app' }

function prepared(name: string): PreparedPlan {
  const plan = loadPlanFixture(name)
  return preparePlan(buildPlanModel(plan), scrubText(planFixtureHumanText(name), planSecrets(plan)))
}

/** Markdown outside fenced blocks and inline code spans (what GitHub interprets as markdown/HTML). */
function outsideCode(markdown: string): string {
  const out: string[] = []
  let fence: string | undefined
  for (const line of markdown.split('\n')) {
    const m = /^(`{3,})/.exec(line)
    if (fence) {
      if (m && m[1]!.length >= fence.length && line.trim() === fence) fence = undefined
      continue
    }
    if (m) {
      fence = m[1]
      continue
    }
    out.push(line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, ''))
  }
  expect(fence).toBeUndefined()
  return out.join('\n')
}

const ALLOWED_TAG = /^<\/?(details|summary|b|sub)( open)?>/

describe('marker', () => {
  it('round-trips and URI-encodes env and dir; safety-gate reads it', () => {
    const line = formatMarker({ environment: 'prod eu', directory: 'stacks/app', fingerprint: 'a'.repeat(64) })
    expect(line).toBe(`<!-- tfpipe:plan-and-comment env=prod%20eu dir=stacks%2Fapp fingerprint=${'a'.repeat(64)} -->`)
    expect(parseMarker(`${line}\nbody`)).toEqual({
      environment: 'prod eu',
      directory: 'stacks/app',
      fingerprint: 'a'.repeat(64),
    })
    expect(parsePlanMarker(`${line}\nbody`)).toEqual({
      environment: 'prod eu',
      dir: 'stacks/app',
      fingerprint: 'a'.repeat(64),
    })
    expect(isMarkerFor(`${line}\n`, 'prod eu', 'stacks/app')).toBe(true)
    expect(isMarkerFor(`${line}\n`, 'prod eu', 'stacks')).toBe(false)
    expect(isMarkerFor(`${line}\n`, 'prod', 'stacks/app')).toBe(false)
    expect(isMarkerFor(`quoted:\n${line}`, 'prod eu', 'stacks/app')).toBe(false)
  })
})

describe('comment content from real plans', () => {
  it.each(fixtureNames().filter((n) => n !== 'errored'))("%s: our counts line equals terraform's own line", (name) => {
    const p = prepared(name)
    const body = renderComment(p, view)
    const tfLine = findTerraformPlanLine(planFixtureHumanText(name))
    expect(tfLine).toBeDefined()
    if (tfLine!.startsWith('Plan:')) expect(body).toContain(`**${tfLine}**`)
    else expect(body).toContain('**No changes**')
    expect(body).toContain(`says: \`${tfLine}\``)
    expect(body.length).toBeLessThanOrEqual(60_000)
  })

  it('replace: a ⚠️ caution block lists every replacement with its reason and notes the double count', () => {
    const p = prepared('replace')
    const body = renderComment(p, view)
    const replaced = p.model.resources.filter((r) => r.kind === 'replace')
    expect(replaced.length).toBeGreaterThan(0)
    expect(body.split('\n')[1]).toMatch(/^### ⚠️ Terraform plan: `prod` · `stacks\/app`$/)
    const caution = body.slice(body.indexOf('> [!CAUTION]'))
    for (const r of replaced) expect(caution).toContain(`♻️ **replace** \`${r.address}\``)
    expect(body).toMatch(/of the adds and destroys (is a replacement|are replacements)/)
    expect(caution).toMatch(/forces replacement|tainted|replace_triggered_by|-replace/)
  })

  it('delete: lists destroys with the reason terraform gives', () => {
    const body = renderComment(prepared('delete'), view)
    expect(body).toContain('🗑️ **destroy**')
    expect(body).toMatch(/removed from the configuration/)
  })

  it('moved, import, forget and drift each get their section', () => {
    expect(renderComment(prepared('moved'), view)).toMatch(/🚚 Moved \(\d+\)[^]*` → `/)
    expect(renderComment(prepared('import'), view)).toMatch(/📥 Import \(\d+\)/)
    expect(renderComment(prepared('forget'), view)).toMatch(/🫥 Forget/)
    const drift = renderComment(prepared('drift'), view)
    expect(drift).toMatch(/🌀 Changed outside of Terraform \(\d+\)/)
  })

  it('errored: ❌ title and an explicit "cannot be applied"', () => {
    const body = renderComment(prepared('errored'), view)
    expect(body.split('\n')[1]).toContain('### ❌')
    expect(body).toContain('cannot be applied')
  })

  it('the full plan sits folded in a diff block with markers at column 0', () => {
    const body = renderComment(prepared('update'), view)
    expect(body).toMatch(/<details><summary><b>📄 Full plan<\/b><\/summary>\n\n```diff\n/)
    expect(body).toMatch(/^! {3}resource "terraform_data"/m)
  })
})

describe('adversarial plan text cannot break or abuse the comment', () => {
  const p = prepared('adversarial')
  const body = renderComment(p, { environment: '@prod', directory: '</details>' })
  const summary = renderSummary(p, { environment: '@prod', directory: '</details>' }, 1024 * 1024)

  it.each([
    ['comment', body],
    ['summary', summary],
  ])('%s: fences balance and only our own HTML is live outside code', (_what, text) => {
    // our hidden markers are HTML comments that start a line; everything else must be harmless
    const live = outsideCode(text).replace(/^<!-- tfpipe:plan-(and-comment|changes) [^]*?-->/gm, '')
    let i = live.indexOf('<')
    while (i !== -1) {
      expect(live.slice(i, i + 400)).toMatch(ALLOWED_TAG)
      i = live.indexOf('<', i + 1)
    }
    expect((live.match(/<details/g) ?? []).length).toBe((live.match(/<\/details>/g) ?? []).length)
    // nothing from the plan can ping: a live @ is always followed by the zero-width joiner
    expect(live).not.toMatch(new RegExp(`@(?!${ZWJ})[A-Za-z0-9]`))
  })

  it('only the first line is a plan-and-comment marker and it carries our identity', () => {
    expect(parseMarker(body)).toEqual({
      environment: '@prod',
      directory: '</details>',
      fingerprint: p.model.fingerprint,
    })
    const markers = outsideCode(body)
      .split('\n')
      .filter((l) => l.startsWith('<!-- tfpipe:plan-and-comment'))
    expect(markers).toHaveLength(1)
  })

  it('the planted strings are still there, as text', () => {
    expect(body).toContain('`terraform_data.keys["</details>"]`')
    expect(body).toContain('@octocat and @acme/platform-team please approve')
  })
})

describe('sensitive values', () => {
  it('never reach the comment, the summary or the report', () => {
    const p = prepared('sensitive')
    const body = renderComment(p, view)
    const summary = renderSummary(p, view, 1024 * 1024)
    const report = JSON.stringify(buildReport(p.model, 'prod', '.'))
    expect(planFixtureHumanText('sensitive')).toContain(PLANTED_SECRET) // terraform's own text leaks it ...
    for (const text of [body, summary, report]) expect(text).not.toContain(PLANTED_SECRET) // ... we do not
    expect(body).toContain('(sensitive)')
  })
})

describe('budget', () => {
  it('a 10,000-resource plan stays under 60,000 characters with the summary line and a pointer', () => {
    const p = prepared('large')
    expect(p.model.resources.length).toBeGreaterThanOrEqual(10_000)
    const body = renderComment(p, {
      ...view,
      links: {
        runUrl: 'https://github.com/o/r/actions/runs/1',
        artifactUrl: 'https://github.com/o/r/actions/runs/1/artifacts/9',
        artifactName: 'tfplan-prod',
      },
    })
    expect(body.length).toBeLessThanOrEqual(60_000)
    expect(body).toContain(`**${findTerraformPlanLine(planFixtureHumanText('large'))}**`)
    // the pointer names the artifact's text file (the job summary is cut at 1 MiB too)
    expect(body).toMatch(
      /…and \d+ more to create — full plan: `plan.txt` in artifact \[tfplan-prod\]\(https:\/\/github.com\/o\/r\/actions\/runs\/1\/artifacts\/9\)/,
    )
    expect(body).not.toMatch(/full plan in the \[job summary\]/)
    outsideCode(body) // fences balanced
    const summary = renderSummary(p, view, 1024 * 1024 - 8192)
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1024 * 1024 - 8192)
    expect(summary.length).toBeGreaterThan(body.length)
  })

  it('keeps title, summary and the destroy list when the plan text is huge, cutting the text first', () => {
    const deletes = Array.from({ length: 40 }, (_, i) =>
      entry(`terraform_data.old[${i}]`, 'delete', { actionReason: 'delete_because_no_resource_config' }),
    )
    const m = model(deletes)
    const text = Array.from({ length: 20_000 }, (_, i) => `  - resource "terraform_data" "old_${i}" {`).join('\n')
    const body = renderComment(preparePlan(m, text), view)
    expect(body.length).toBeLessThanOrEqual(60_000)
    for (const d of deletes) expect(body).toContain(`🗑️ **destroy** \`${d.address}\``)
    expect(body).toMatch(/✂️ truncated: \d+ more lines of the plan/)
  })

  it('even 5,000 destroys stay under the GitHub limit: the warning list is cut with a pointer', () => {
    const deletes = Array.from({ length: 5_000 }, (_, i) =>
      entry(`module.m.terraform_data.very_long_resource_name_${i}`, 'delete'),
    )
    const body = renderComment(preparePlan(model(deletes)), view)
    expect(body.length).toBeLessThanOrEqual(60_000)
    expect(body).toContain('**Plan: 0 to add, 0 to change, 5000 to destroy.**')
    const shown = body.match(/^> - 🗑️ \*\*destroy\*\*/gm)?.length ?? 0
    expect(body).toContain(
      `> - ✂️ *…and ${5_000 - shown} more (${5_000 - shown} to destroy) — full plan: \`terraform show\` of the plan file*`,
    )
  })

  it('renders the summary byte-bounded even for multi-byte text', () => {
    const m = model([entry('terraform_data.a', 'create')])
    const text = Array.from({ length: 5_000 }, () => '  + ✓✓✓✓✓✓✓✓✓✓ ünïcødé ✓✓✓✓✓✓✓✓✓✓').join('\n')
    const out = renderSummary(preparePlan(m, text), view, 50_000)
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(50_000)
    expect(out).toContain('✂️ truncated')
  })
})

describe('hand-made models', () => {
  it('groups by module and folds long lists', () => {
    const many = Array.from({ length: 20 }, (_, i) => entry(`module.net.terraform_data.x[${i}]`, 'create'))
    const body = renderComment(preparePlan(model([entry('terraform_data.root', 'create'), ...many])), view)
    expect(body).toContain('<details><summary><b>➕ Create (21)</b></summary>')
    expect(body).toContain('- 📦 `module.net` (20)\n  - `module.net.terraform_data.x[0]`')
    const few = renderComment(
      preparePlan(model([entry('terraform_data.root', 'update', { changedAttributes: ['tags', 'ami'] })])),
      view,
    )
    expect(few).toContain('<details open><summary><b>✏️ Update in place (1)</b></summary>')
    expect(few).toContain('- `terraform_data.root` — `tags`, `ami`')
  })

  it('no changes: ✅ and a plain statement, no caution block', () => {
    const body = renderComment(preparePlan(model([])), view)
    expect(body.split('\n')[1]).toContain('### ✅')
    expect(body).toContain('**No changes** — your infrastructure matches the configuration.')
    expect(body).not.toContain('[!CAUTION]')
  })

  it('the report lists addresses by action', () => {
    const m = model([
      entry('a.x', 'create'),
      entry('a.y', 'replace'),
      entry('a.z', 'no-op', { previousAddress: 'a.old' }),
      entry('a.i', 'update', { importing: true }),
    ])
    const r = buildReport(m, 'dev', '.')
    expect(r.addresses.create).toEqual(['a.x'])
    expect(r.addresses.replace).toEqual(['a.y'])
    expect(r.addresses.move).toEqual([{ from: 'a.old', to: 'a.z' }])
    expect(r.addresses.import).toEqual(['a.i'])
    expect(r.terraformCounts).toEqual({ import: 1, add: 2, change: 1, destroy: 1, forget: 0 })
  })

  it('a failure comment says what failed and keeps stderr in a closed block', () => {
    const body = renderFailure({
      environment: 'dev',
      directory: '.',
      what: 'terraform show -json tfplan failed with exit code 1',
      details: 'Error: ```\n@octocat </details>',
    })
    expect(body.split('\n')[0]).toBe('<!-- tfpipe:plan-and-comment env=dev dir=. fingerprint= -->')
    expect(body).toContain('### ❌')
    expect(body).toContain('terraform show -json tfplan failed with exit code 1')
    outsideCode(body)
    expect(outsideCode(body)).not.toContain('</details>')
  })
})

describe('space: every resource once, cut by risk with exact counts', () => {
  const links = {
    runUrl: 'https://github.com/o/r/actions/runs/1',
    artifactUrl: 'https://github.com/o/r/actions/runs/1/artifacts/9',
    artifactName: 'tfplan-prod',
  }
  const addresses = (text: string): string[] =>
    [...text.matchAll(/`((?:module\.[a-z]+\.)?terraform_data\.[a-z_]+\[\d+\])`/g)].map((m) => m[1]!)

  it('destroys and replacements are listed in the caution block only, destroys first', () => {
    const m = model([
      entry('terraform_data.r[0]', 'replace'),
      entry('terraform_data.d[0]', 'delete'),
      entry('terraform_data.u[0]', 'update'),
      entry('terraform_data.c[0]', 'create'),
    ])
    const body = renderComment(preparePlan(m), view)
    const seen = addresses(body)
    expect(seen.sort()).toEqual([
      'terraform_data.c[0]',
      'terraform_data.d[0]',
      'terraform_data.r[0]',
      'terraform_data.u[0]',
    ])
    expect(body.indexOf('🗑️ **destroy** `terraform_data.d[0]`')).toBeLessThan(
      body.indexOf('♻️ **replace** `terraform_data.r[0]`'),
    )
    expect(body).not.toContain('Replace (1)')
    expect(body).not.toContain('Destroy (1)')
    expect(body.indexOf('Update in place (1)')).toBeLessThan(body.indexOf('Create (1)'))
  })

  it('about 1,000 changes: every create and update is named once, in names-only form when the full form does not fit', () => {
    const resources = [
      ...Array.from({ length: 30 }, (_, i) => entry(`terraform_data.gone[${i}]`, 'delete')),
      ...Array.from({ length: 300 }, (_, i) =>
        entry(`terraform_data.upd[${i}]`, 'update', {
          changedAttributes: ['input', 'triggers_replace', 'tags', 'labels'],
        }),
      ),
      ...Array.from({ length: 670 }, (_, i) => entry(`module.app.terraform_data.new[${i}]`, 'create')),
    ]
    const text = Array.from({ length: 12_000 }, (_, i) => `  + resource "terraform_data" "new_${i}" {`).join('\n')
    const body = renderComment(preparePlan(model(resources), text), { ...view, links })
    expect(body.length).toBeLessThanOrEqual(60_000)
    const seen = addresses(body)
    expect(new Set(seen).size).toBe(1_000)
    expect(seen.length).toBe(1_000) // none twice
    expect(body).toContain('names only, to fit')
  })

  it('10,000 creates: cut with the exact number left out, pointing at the artifact text file', () => {
    const resources = Array.from({ length: 10_000 }, (_, i) => entry(`terraform_data.fleet_member[${i}]`, 'create'))
    const body = renderComment(preparePlan(model(resources)), { ...view, links })
    expect(body.length).toBeLessThanOrEqual(60_000)
    const shown = addresses(body).length
    expect(shown).toBeGreaterThan(100)
    expect(body).toContain(
      `- ✂️ *…and ${10_000 - shown} more to create — full plan: \`plan.txt\` in artifact [tfplan-prod](${links.artifactUrl})*`,
    )
  })

  it('lists that do not fit at all are counted in one "not listed" line, by risk order', () => {
    const resources = [
      ...Array.from({ length: 3_000 }, (_, i) =>
        entry(`terraform_data.upd_with_a_long_name_for_budget[${i}]`, 'update'),
      ),
      ...Array.from({ length: 40 }, (_, i) => entry(`terraform_data.new[${i}]`, 'create')),
    ]
    const body = renderComment(preparePlan(model(resources)), view)
    const shown = (body.match(/^- `terraform_data\.upd_with_a_long_name_for_budget\[/gm) ?? []).length
    expect(body).toContain(`…and ${3_000 - shown} more to update`)
    const creates = (body.match(/^- `terraform_data\.new\[/gm) ?? []).length
    expect(body).toContain(creates === 0 ? '*✂️ not listed: 40 to create — ' : `…and ${40 - creates} more to create`)
  })

  it('a list with no room at all is counted in one "not listed" line', () => {
    const resources = [
      ...Array.from({ length: 3_000 }, (_, i) =>
        entry(`terraform_data.upd_with_a_long_name_for_budget[${i}]`, 'update'),
      ),
      ...Array.from({ length: 40 }, (_, i) => entry(`terraform_data.new[${i}]`, 'create')),
      ...Array.from({ length: 7 }, (_, i) => entry(`data.terraform_data.rd[${i}]`, 'read')),
    ]
    const body = renderComment(preparePlan(model(resources)), { ...view, budget: 20_000 })
    expect(body.length).toBeLessThanOrEqual(20_000)
    expect(body).toMatch(/\*✂️ not listed: (40 to create, )?7 to read — full plan: `terraform show` of the plan file\*/)
  })

  it('a pure move is listed once under Moved; a moved resource that also changes is marked in its list', () => {
    const m = model([
      entry('terraform_data.a[0]', 'no-op', { previousAddress: 'terraform_data.old[0]' }),
      entry('terraform_data.b[0]', 'update', { previousAddress: 'terraform_data.oldb[0]' }),
    ])
    const body = renderComment(preparePlan(m), view)
    expect(body).toContain('🚚 Moved (1)')
    expect(body).toContain('- `terraform_data.b[0]` (moved from `terraform_data.oldb[0]`)')
    expect(body.split('`terraform_data.b[0]`').length - 1).toBe(1)
  })

  it('the comment says what the job summary holds and points to it only when it is complete', () => {
    const m = model([entry('terraform_data.a[0]', 'create')])
    const complete = renderComment(preparePlan(m, 'x'), {
      ...view,
      links: {
        runUrl: links.runUrl,
        summary: { written: true, complete: true, omittedResources: 0, planLinesShown: 1, planLinesTotal: 1 },
      },
    })
    expect(complete).toContain(`<sub>[Job summary](${links.runUrl}): the complete plan.</sub>`)
    const cut = renderComment(preparePlan(m, 'x'), {
      ...view,
      links: {
        ...links,
        summary: {
          written: true,
          complete: false,
          omittedResources: 0,
          planLinesShown: 27_983,
          planLinesTotal: 100_007,
        },
      },
    })
    expect(cut).toContain(
      `<sub>[Job summary](${links.runUrl}): every resource, 27,983 of 100,007 plan lines (cut at GitHub's 1 MiB limit).</sub>`,
    )
  })
})
