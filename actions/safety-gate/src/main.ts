import * as core from '@actions/core'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { readRunContext } from '@tfpipe/kit/context.js'
import { coreLogger, runAction, setOutput } from '@tfpipe/kit/runner.js'
import { SummaryBuilder } from '@tfpipe/kit/summary.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { environmentPolicy, loadPolicyFile } from '@tfpipe/policy/load.js'
import { evaluateGate } from '@tfpipe/policy/gate.js'
import { createGateGitHub } from '@tfpipe/policy/github.js'
import { loadInfracost, loadPlanSource, loadSarif } from '@tfpipe/policy/plan-source.js'
import { renderReport } from '@tfpipe/policy/report.js'
import { verificationRules } from '@tfpipe/policy/verification.js'
import { readConfig } from './config.js'

export async function run(): Promise<void> {
  await runAction('safety-gate', async () => {
    const config = readConfig()
    const context = readRunContext()
    const logger = coreLogger
    const label = `policy-file '${config.policyFile}'`
    const policy = environmentPolicy(loadPolicyFile(config.policyFile, label), config.environment, label)
    const plan = await loadPlanSource({
      ...(config.planJson ? { planJson: config.planJson } : {}),
      ...(config.planFile ? { planFile: config.planFile } : {}),
      binary: config.binary,
      workingDirectory: config.workingDirectory,
      logger,
    })
    const pr = context.event.pull_request as { head?: { sha?: string } } | undefined
    const sha = config.sha ?? pr?.head?.sha ?? context.sha
    // Never overridable: applying a plan other than the approved one is what approvals exist to prevent.
    if (config.expectedFingerprint && plan && plan.model.fingerprint !== config.expectedFingerprint) {
      setOutput('allowed', 'false')
      throw new ConfigurationError(
        `the plan to apply (fingerprint ${plan.model.fingerprint.slice(0, 12)}…) is not the plan that was approved (${config.expectedFingerprint.slice(0, 12)}…); nothing was applied: dispatch again.`,
      )
    }
    const github = config.token
      ? createGateGitHub(
          createGitHubClient({ token: config.token, baseUrl: context.apiUrl, logger }),
          { owner: context.owner, repo: context.repo },
          {
            apiUrl: context.apiUrl,
          },
        )
      : undefined
    const verdict = await evaluateGate(policy, {
      environment: config.environment,
      operation: config.operation,
      event: context.eventName,
      sha,
      workingDirectory: config.workingDirectory,
      ...(plan ? { plan } : {}),
      confirmation: config.confirmation,
      changeTicket: config.changeTicket,
      forceRecreate: config.forceRecreate,
      skipVerify: config.skipVerify,
      overrideReason: config.overrideReason,
      ...(config.infracostJson
        ? { infracost: { path: config.infracostJson, diff: loadInfracost(config.infracostJson) } }
        : {}),
      sarif: config.sarif.map((path) => ({ path, log: loadSarif(path) })),
      ...(github ? { github } : {}),
      ...(config.now ? { now: () => config.now! } : {}),
      ...(config.ticketAuthHeader ? { ticketAuthHeader: config.ticketAuthHeader } : {}),
      logger,
    })

    if (config.now)
      logger.info(
        `safety-gate: windows and freezes judged at ${config.now.toISOString()} (input 'now'), not the runner's clock.`,
      )
    const report = renderReport(verdict)
    const summary = new SummaryBuilder()
    if (!summary.add(report)) summary.add(renderReport(verdict, { maxDetailLines: 5 }))
    await summary.write()

    for (const v of verdict.violations)
      core.error(`${v.check}: ${v.message}`, { title: `safety-gate (${config.environment}): ${v.check}` })
    for (const w of verdict.warnings) {
      core.warning(`${w.overridden ? 'OVERRIDDEN ' : ''}${w.check}: ${w.message}`, {
        title: `safety-gate (${config.environment}): ${w.check}`,
      })
    }
    if (verdict.override?.applied) {
      core.warning(
        `EMERGENCY OVERRIDE of the safety-gate for ${config.environment} by ${context.actor || 'unknown'}: ${verdict.override.reason}`,
        {
          title: 'safety-gate: emergency override',
        },
      )
    }

    setOutput('allowed', verdict.allowed ? 'true' : 'false')
    setOutput('violations', verdict.violations)
    setOutput('warnings', verdict.warnings)
    setOutput('report', report)
    const rules = verificationRules(policy)
    setOutput('skip-verify', config.skipVerify && rules.skipAllowed ? 'true' : 'false')
    setOutput('auto-rollback', rules.autoRollback ? 'true' : 'false')

    if (!verdict.allowed) {
      const checks = verdict.violations.map((v) => v.check).join(', ')
      throw new ConfigurationError(
        `deploy to ${config.environment} refused: ${verdict.violations.length} violation(s) (${checks}); see the job summary.`,
      )
    }
    logger.info(
      `safety-gate: deploy to ${config.environment} allowed${verdict.override?.applied ? ' by emergency override' : ''}.`,
    )
  })
}
