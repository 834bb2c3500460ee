import type { PlanCounts } from '@tfpipe/terraform/model.js'
import { terraformPlanLine } from '@tfpipe/terraform/build-model.js'

/**
 * Counts as Terraform prints them. Terraform counts a replacement once as "to add" and once as "to
 * destroy"; our counts keep replacements apart (add/destroy exclude them), so:
 *   terraform add = add + replace, change = change, destroy = destroy + replace.
 */
export function terraformCounts(counts: PlanCounts): {
  import: number
  add: number
  change: number
  destroy: number
  forget: number
} {
  return {
    import: counts.import,
    add: counts.add + counts.replace,
    change: counts.change,
    destroy: counts.destroy + counts.replace - (counts.replaceForget ?? 0),
    forget: counts.forget,
  }
}

/** "Plan: [I to import, ]A to add, C to change, D to destroy[, F to forget]." in Terraform's own format. */
export function planLineOf(counts: PlanCounts): string {
  return terraformPlanLine(counts)
}

/** The explanation that keeps our line and Terraform's consistent, e.g. "1 of them a replacement". */
export function replacementNote(counts: PlanCounts): string {
  if (counts.replace === 0) return ''
  return counts.replace === 1
    ? '1 of the adds and destroys is a replacement'
    : `${counts.replace} of the adds and destroys are replacements`
}

/**
 * Terraform's own summary line from `terraform show -no-color` output, if present: "Plan: …",
 * "No changes. …", or the first sentence of the outputs-only / refresh-only closing paragraph
 * (re-joined when terraform wrapped it).
 */
export function findTerraformPlanLine(planText: string | undefined): string | undefined {
  if (!planText) return undefined
  const m = /^(Plan: \d+ to [^\n]*|No changes\.[^\n]*)$/m.exec(planText)
  if (m) return m[1]!.trim()
  const p =
    /^(You can apply this plan to save these new output values[^.]*\.|This is a refresh-only plan, so (?:Terraform|OpenTofu) will not take any actions to undo[^.]*\.)/m.exec(
      planText,
    )
  return p ? p[1]!.replace(/\s*\n\s*/g, ' ').trim() : undefined
}
