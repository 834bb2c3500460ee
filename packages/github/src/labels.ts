import type { Logger } from '@tfpipe/kit/logger.js'
import type { PullRequestsClient } from './pull-requests.js'

export type PlanLabelKind = 'destroy' | 'changes' | 'no-changes'
export const PLAN_LABEL_KINDS: readonly PlanLabelKind[] = ['destroy', 'changes', 'no-changes']

/** `<env>/destroy`, `<env>/changes`, `<env>/no-changes` (no prefix without an environment), as tfcmt names them. */
export function planLabel(environment: string, kind: PlanLabelKind): string {
  return environment ? `${environment}/${kind}` : kind
}

/** destroy when anything is destroyed or replaced, changes when anything else changes, no-changes otherwise. */
export function planLabelKind(counts: { destroy: number; replace: number }, hasChanges: boolean): PlanLabelKind {
  if (counts.destroy + counts.replace > 0) return 'destroy'
  return hasChanges ? 'changes' : 'no-changes'
}

/**
 * Puts this environment's plan label on the pull request and removes its other two: one POST (which
 * answers with every label of the PR), plus one DELETE per stale label actually present.
 */
export async function syncPlanLabels(
  client: PullRequestsClient,
  target: { owner: string; repo: string; issueNumber: number },
  environment: string,
  kind: PlanLabelKind,
  logger: Logger,
): Promise<{ added: string; removed: string[] }> {
  const wanted = planLabel(environment, kind)
  const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    labels: [wanted],
  })
  const present = new Set((data as { name: string }[]).map((l) => l.name))
  const removed: string[] = []
  for (const other of PLAN_LABEL_KINDS) {
    const name = planLabel(environment, other)
    if (other === kind || !present.has(name)) continue
    try {
      await client.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        name,
      })
      removed.push(name)
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error
    }
  }
  logger.info(`Label ${wanted} on #${target.issueNumber}${removed.length ? `; removed ${removed.join(', ')}` : ''}.`)
  return { added: wanted, removed }
}
