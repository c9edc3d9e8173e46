import { randomBytes } from 'node:crypto'

/** The usage object Codex 0.169.0 accepts in `response.completed`. */
export const RESPONSE_USAGE = {
  input_tokens: 1,
  input_tokens_details: null,
  output_tokens: 1,
  output_tokens_details: null,
  total_tokens: 2
} as const

/** One server-sent event: `event:` line, one `data:` line, blank line. */
export function sseEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
}

/**
 * The smallest Responses stream that completes a Codex turn (SPEC 11):
 * created, one assistant message, completed with usage.
 */
export function responsesStream(
  text: string,
  responseId = `resp_${randomBytes(12).toString('hex')}`
): string {
  const messageId = `msg_${randomBytes(12).toString('hex')}`
  return [
    sseEvent('response.created', { response: { id: responseId } }),
    sseEvent('response.output_item.done', {
      item: {
        type: 'message',
        id: messageId,
        role: 'assistant',
        content: [{ type: 'output_text', text }]
      }
    }),
    sseEvent('response.completed', {
      response: { id: responseId, usage: RESPONSE_USAGE }
    })
  ].join('')
}

/** A parsed server-sent event. */
export interface ParsedSseEvent {
  event?: string
  data: string
}

/** Splits an SSE body into events; tests use it to read streams back. */
export function parseSse(body: string): ParsedSseEvent[] {
  return body
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const parsed: ParsedSseEvent = { data: '' }
      const data: string[] = []
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) parsed.event = line.slice(6).trim()
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
      }
      parsed.data = data.join('\n')
      return parsed
    })
}
