/**
 * Block Kit limits as Slack enforces them. Over any of them Slack rejects the whole message
 * (`invalid_blocks`), so the builder fits every text into them and `validateBlocks` checks the result
 * before anything is sent. The local Slack stand-in used by the tests enforces the same function.
 */
export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  /** Top-level `text`: Slack truncates messages over 40,000 characters; we never get near it. */
  text: 40_000,
} as const

export interface TextObject {
  type: 'plain_text' | 'mrkdwn'
  text: string
  emoji?: boolean
  verbatim?: boolean
}

export interface ButtonElement {
  type: 'button'
  text: TextObject
  url?: string
  action_id?: string
  style?: 'primary' | 'danger'
  value?: string
}

export type Block =
  | { type: 'header'; text: TextObject; block_id?: string }
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; block_id?: string }
  | { type: 'context'; elements: TextObject[]; block_id?: string }
  | { type: 'actions'; elements: ButtonElement[]; block_id?: string }
  | { type: 'divider'; block_id?: string }

export interface SlackMessage {
  /** Fallback for notifications and clients that cannot show blocks (mrkdwn, escaped). */
  text: string
  blocks: Block[]
  [key: string]: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function checkText(problems: string[], where: string, value: unknown, max: number, types: readonly string[]): void {
  if (!isObject(value)) {
    problems.push(`${where}: must be a text object`)
    return
  }
  if (typeof value.type !== 'string' || !types.includes(value.type)) {
    problems.push(`${where}: type must be ${types.join(' or ')}, got ${String(value.type)}`)
  }
  if (typeof value.text !== 'string' || value.text.length === 0) {
    problems.push(`${where}: text must be a non-empty string`)
  } else if (value.text.length > max) {
    problems.push(`${where}: text is ${value.text.length} characters, limit ${max}`)
  }
}

/** A non-empty array of at most `limit` items; its items are still checked when there are too many. */
function checkedList(
  problems: string[],
  where: string,
  value: unknown,
  limit: number,
  noun: string,
): unknown[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where}: must be a non-empty array`)
    return undefined
  }
  if (value.length > limit) problems.push(`${where}: ${value.length} ${noun}, limit ${limit}`)
  return value as unknown[]
}

/**
 * Returns every reason Slack would refuse this message (empty list: acceptable). Accepts any JSON
 * value so that the receiver can call it on what arrived over the wire.
 */
export function validateBlocks(payload: unknown): string[] {
  const problems: string[] = []
  if (!isObject(payload)) return ['payload: must be a JSON object']
  const { text, blocks } = payload
  if (text !== undefined && typeof text !== 'string') problems.push('text: must be a string')
  if (typeof text === 'string' && text.length > LIMITS.text)
    problems.push(`text: ${text.length} characters, limit ${LIMITS.text}`)
  if (blocks === undefined) {
    if (typeof text !== 'string' || text.trim() === '') problems.push('text: required when there are no blocks')
    return problems
  }
  if (!Array.isArray(blocks)) return [...problems, 'blocks: must be an array']
  if (blocks.length === 0) problems.push('blocks: must not be empty')
  if (blocks.length > LIMITS.blocks) problems.push(`blocks: ${blocks.length} blocks, limit ${LIMITS.blocks}`)
  const blockIds = new Set<string>()
  blocks.forEach((block: unknown, i) => {
    const where = `blocks[${i}]`
    if (!isObject(block)) {
      problems.push(`${where}: must be an object`)
      return
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length === 0 || block.block_id.length > LIMITS.blockId) {
        problems.push(`${where}.block_id: 1 to ${LIMITS.blockId} characters`)
      } else if (blockIds.has(block.block_id)) {
        problems.push(`${where}.block_id: duplicate '${block.block_id}'`)
      } else blockIds.add(block.block_id)
    }
    switch (block.type) {
      case 'header':
        checkText(problems, `${where}.text`, block.text, LIMITS.headerText, ['plain_text'])
        break
      case 'section': {
        if (block.text === undefined && block.fields === undefined) problems.push(`${where}: needs text or fields`)
        if (block.text !== undefined)
          checkText(problems, `${where}.text`, block.text, LIMITS.sectionText, ['plain_text', 'mrkdwn'])
        if (block.fields !== undefined) {
          const fields = checkedList(problems, `${where}.fields`, block.fields, LIMITS.fields, 'fields')
          fields?.forEach((f, j) =>
            checkText(problems, `${where}.fields[${j}]`, f, LIMITS.fieldText, ['plain_text', 'mrkdwn']),
          )
        }
        break
      }
      case 'context': {
        const elements = checkedList(problems, `${where}.elements`, block.elements, LIMITS.contextElements, 'elements')
        elements?.forEach((e, j) =>
          checkText(problems, `${where}.elements[${j}]`, e, LIMITS.contextText, ['plain_text', 'mrkdwn']),
        )
        break
      }
      case 'actions': {
        const elements = checkedList(problems, `${where}.elements`, block.elements, LIMITS.actionsElements, 'elements')
        if (elements) {
          const actionIds = new Set<string>()
          elements.forEach((e: unknown, j) => {
            const at = `${where}.elements[${j}]`
            if (!isObject(e) || e.type !== 'button') {
              problems.push(`${at}: only buttons are supported`)
              return
            }
            checkText(problems, `${at}.text`, e.text, LIMITS.buttonText, ['plain_text'])
            if (e.url !== undefined) {
              if (typeof e.url !== 'string' || e.url.length === 0)
                problems.push(`${at}.url: must be a non-empty string`)
              else if (e.url.length > LIMITS.buttonUrl)
                problems.push(`${at}.url: ${e.url.length} characters, limit ${LIMITS.buttonUrl}`)
            }
            if (e.action_id !== undefined) {
              if (typeof e.action_id !== 'string' || e.action_id.length === 0 || e.action_id.length > LIMITS.actionId) {
                problems.push(`${at}.action_id: 1 to ${LIMITS.actionId} characters`)
              } else if (actionIds.has(e.action_id)) problems.push(`${at}.action_id: duplicate '${e.action_id}'`)
              else actionIds.add(e.action_id)
            }
            if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
              problems.push(`${at}.style: must be primary or danger`)
          })
        }
        break
      }
      case 'divider':
        break
      default:
        problems.push(`${where}.type: unsupported block type ${JSON.stringify(block.type)}`)
    }
  })
  return problems
}
