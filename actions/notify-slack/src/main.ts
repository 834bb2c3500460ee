import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as core from '@actions/core'
import { pullRequestNumber, readRunContext } from '@tfpipe/kit/context.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import {
  getBooleanInput,
  getInput,
  getListInput,
  getOptionalInput,
  getSecretInput,
  parseBoolean,
  parseChoice,
} from '@tfpipe/kit/inputs.js'
import { coreLogger, runAction, setOutput } from '@tfpipe/kit/runner.js'
import { SummaryBuilder } from '@tfpipe/kit/summary.js'
import { EVENTS } from '@tfpipe/slack/events.js'
import { parseMention } from '@tfpipe/slack/mrkdwn.js'
import { notify, parseDetailsInput, parseWebhooks, resolveDestination, resolveRequired } from '@tfpipe/slack/notify.js'

export async function run(): Promise<void> {
  await runAction('notify-slack', async () => {
    const event = parseChoice('event', getInput('event', { required: true }), EVENTS)
    const environment = getInput('environment')
    const webhookUrl = getSecretInput('webhook-url')
    const botToken = getSecretInput('bot-token')
    const webhooksRaw = getOptionalInput('webhooks')
    const webhooks = parseWebhooks(webhooksRaw)
    for (const url of Object.values(webhooks)) core.setSecret(url)
    const requiredRaw = getOptionalInput('required')
    const required = resolveRequired(
      requiredRaw === undefined ? undefined : parseBoolean('required', requiredRaw),
      environment,
      getListInput('required-environments'),
    )
    const mentionRaw = getOptionalInput('mention')
    const mention = mentionRaw === undefined ? undefined : parseMention(mentionRaw)
    if (mentionRaw !== undefined && mention === undefined) {
      throw new ConfigurationError(
        "Input 'mention' must be Slack mentions such as <!subteam^S0123ABCD>, <@U0123ABCD> or <!here>, separated by spaces.",
      )
    }
    const details = parseDetailsInput(getOptionalInput('details'))
    const dryRun = getBooleanInput('dry-run', false)
    const destination = resolveDestination({
      environment,
      webhookUrl,
      webhooks,
      botToken,
      channel: getOptionalInput('channel'),
      threadTs: getOptionalInput('thread-ts'),
      updateTs: getOptionalInput('update-ts'),
    })

    const context = readRunContext()
    const prNumber = pullRequestNumber(context)
    const pr = context.event.pull_request as { html_url?: string } | undefined
    // For tests and GHES-style proxies: where the Slack Web API lives (no input on purpose).
    const apiUrl = process.env.SLACK_API_URL || 'https://slack.com/api'

    const result = await notify({
      event,
      environment,
      run: {
        repository: `${context.owner}/${context.repo}`,
        serverUrl: context.serverUrl,
        runUrl: context.runUrl,
        runId: context.runId,
        runAttempt: context.runAttempt,
        workflow: context.workflow,
        actor: context.actor,
        sha: context.sha,
        ...(prNumber ? { prNumber } : {}),
        ...(pr?.html_url ? { prUrl: pr.html_url } : {}),
      },
      details,
      mention,
      destination,
      required,
      dryRun,
      logger: coreLogger,
      transport: { apiUrl },
    })

    const dir = process.env.RUNNER_TEMP || process.cwd()
    mkdirSync(dir, { recursive: true })
    const payloadPath = join(dir, `notify-slack-${event}-${Date.now()}.json`)
    writeFileSync(payloadPath, `${JSON.stringify(result.body, null, 2)}\n`)
    if (dryRun) core.info(JSON.stringify(result.body, null, 2))
    setOutput('payload', payloadPath)
    setOutput('ts', result.result?.ts ?? '')
    setOutput('channel', result.result?.channel ?? '')

    const summary = new SummaryBuilder()
    const outcome = {
      sent: 'sent',
      'dry-run': 'dry run, not sent',
      skipped: 'not sent (no destination, not required)',
      failed: `failed (${result.error?.code ?? 'error'}), not required`,
    }[result.status]
    summary.add(`**Slack** \`${event}\` for \`${environment || '-'}\`: ${outcome}.`)
    await summary.write()
  })
}
