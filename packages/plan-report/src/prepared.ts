/** The plan prepared once for rendering (comment and job summary), and a rendering's options and stats. */
import type { PlanModel } from '@tfpipe/terraform/model.js'
import { planTextToDiffLines } from '@tfpipe/markdown/diff.js'
import { findTerraformPlanLine } from './counts.js'

/** The plan, prepared once and rendered twice (comment and job summary). */
export interface PreparedPlan {
  model: PlanModel
  /** `terraform show -no-color` converted for a ```diff block; undefined when no text was given. */
  diffLines?: string[]
  /** Terraform's own "Plan: ..." / "No changes." line, verbatim from the text. */
  terraformLine?: string
}

export function preparePlan(model: PlanModel, planText?: string): PreparedPlan {
  const prepared: PreparedPlan = { model }
  if (planText !== undefined && planText !== '') {
    prepared.diffLines = planTextToDiffLines(planText)
    const line = findTerraformPlanLine(planText)
    if (line) prepared.terraformLine = line
  }
  return prepared
}

export interface ReportLinks {
  /** The workflow run (its page shows the job summary). */
  runUrl?: string
  artifactUrl?: string
  artifactName?: string
  /** The file in the artifact that holds the complete plan (default `plan.txt`). */
  artifactFile?: string
  /** What the job summary of this run holds (comment only). */
  summary?: { written: boolean } & RenderStats
}

export interface RenderOptions {
  environment: string
  directory: string
  /** terraform or tofu: only changes labels. */
  binary?: string
  links?: ReportLinks
  /** Maximum characters of the result. Default: the comment budget (60,000). */
  budget?: number
  /** comment: the PR comment (hidden marker first, pointers to summary and artifact); summary: the job summary. */
  target?: 'comment' | 'summary'
  /** A one-line next step under the summary line (already escaped markdown). */
  nextStep?: string
  /** Rendered, size-bounded blocks (gate preview, cost, security) placed after the caution block. */
  insights?: string[]
}

/** What a rendering left out (main.ts tells the comment what the job summary holds). */
export interface RenderStats {
  /** Nothing was cut. */
  complete: boolean
  /** Resources (and outputs, drifted objects) listed nowhere in this rendering. */
  omittedResources: number
  planLinesShown: number
  planLinesTotal: number
}
