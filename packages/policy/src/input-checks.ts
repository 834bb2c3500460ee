/** The rules on what the caller typed: the confirmation and the change ticket (its form, and its URL check). */
import { formatDuration, parseDurationMs } from '@tfpipe/kit/duration.js'
import { fetchGet } from './context.js'
import type { Check } from './gate-facts.js'

export const ROLLBACK_CONFIRMATION = 'rollback-{env}'

export const confirmationCheck: Check = (policy, { input }) => {
  const rollback = input.operation === 'rollback'
  const template = rollback ? ROLLBACK_CONFIRMATION : policy.confirmation
  if (!template) return { check: 'confirmation', status: 'skip', message: 'no confirmation required' }
  const events = policy['confirmation-events']
  if (!rollback && events && !events.includes(input.event ?? '')) {
    return {
      check: 'confirmation',
      status: 'skip',
      message: `no confirmation required for ${input.event ? `'${input.event}'` : 'these'} runs (confirmation-events: ${events.join(', ')})`,
    }
  }
  const expected = template.replace(/\{env\}/g, input.environment)
  if (input.confirmation === expected) return { check: 'confirmation', status: 'pass', message: 'confirmation matches' }
  return {
    check: 'confirmation',
    status: 'fail',
    message:
      input.confirmation === ''
        ? `confirmation missing: type '${expected}'`
        : `confirmation '${input.confirmation}' does not match: type '${expected}' exactly`,
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as
    { name?: string; code?: string; cause?: { code?: string; message?: string }; message?: string } | null | undefined
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ETIMEDOUT')
    return `no answer within ${formatDuration(timeoutMs)}`
  const code = e?.cause?.code ?? e?.code
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
  if (code === 'ECONNRESET') return 'connection reset'
  return e?.cause?.message ?? e?.message ?? String(error)
}

export const ticketCheck: Check = async (policy, { input, names }) => {
  const t = policy.ticket
  if (!t || (!t.required && !t.pattern && !t['verify-url']))
    return { check: 'ticket', status: 'skip', message: 'no change ticket rule' }
  const ticket = input.changeTicket.trim()
  if (ticket === '') {
    return t.required
      ? { check: 'ticket', status: 'fail', message: `change ticket required: set ${names.changeTicket}` }
      : { check: 'ticket', status: 'pass', message: 'no ticket given (not required)' }
  }
  if (t.pattern && !new RegExp(`^(?:${t.pattern})$`).test(ticket)) {
    return {
      check: 'ticket',
      status: 'fail',
      message: `change ticket '${ticket}' does not match the pattern ${t.pattern}`,
    }
  }
  const template = t['verify-url']
  if (!template) return { check: 'ticket', status: 'pass', message: `ticket ${ticket} has the expected form` }
  const url = template.replace(/\{ticket\}/g, encodeURIComponent(ticket))
  const timeoutMs = (t.timeout ? parseDurationMs(t.timeout) : undefined) ?? 10_000
  try {
    const headers = input.ticketAuthHeader ? { [input.ticketAuthHeader.name]: input.ticketAuthHeader.value } : undefined
    const response = await (input.http ?? fetchGet)(url, { timeoutMs, ...(headers ? { headers } : {}) })
    if (response.status >= 200 && response.status < 300)
      return { check: 'ticket', status: 'pass', message: `ticket ${ticket} verified (HTTP ${response.status})` }
    const meaning =
      response.status === 404
        ? 'not found'
        : response.status === 401 || response.status === 403
          ? `not readable (${input.ticketAuthHeader ? 'the ticket-auth-header was refused' : 'no ticket-auth-header was given'})`
          : 'not confirmed'
    return {
      check: 'ticket',
      status: 'fail',
      message: `ticket ${ticket} ${meaning}: ${url} answered HTTP ${response.status}`,
    }
  } catch (error) {
    return {
      check: 'ticket',
      status: 'fail',
      message: `ticket ${ticket} could not be verified: ${url} — ${networkReason(error, timeoutMs)}`,
    }
  }
}
