/**
 * A DNS sink for the loopback-only namespace. Codex (a musl binary) sends
 * its lookups to the nameserver in /etc/resolv.conf; inside the namespace
 * that address is unreachable, and musl ignores the send error and waits out
 * its full 5 s timeout, for every host it was not pointed away from (OTEL
 * metrics at ab.chatgpt.com on shutdown, plugin sync at api.github.com).
 * Putting the nameserver's address on `lo` and answering every query with
 * NXDOMAIN at once makes those lookups fail in microseconds instead, and
 * records which names Codex tried to reach. Nothing leaves `lo`.
 */
import { spawnSync } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import * as fs from 'node:fs'
import { isIP } from 'node:net'

export interface DnsSink {
  /** Every name asked for since the last clear, in order. */
  readonly queries: string[]
  clear(): void
  close(): Promise<void>
}

/** IPv4/IPv6 nameservers of /etc/resolv.conf. */
export function resolvConfNameservers(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((ip): ip is string => ip !== undefined && isIP(ip) !== 0)
}

/**
 * Starts the sink on every nameserver address (each added to `lo` when it is
 * not already local). Only call inside the loopback-only namespace.
 */
export async function startDnsSink(): Promise<DnsSink> {
  let text = ''
  try {
    text = fs.readFileSync('/etc/resolv.conf', 'utf8')
  } catch {
    // No resolv.conf: musl falls back to 127.0.0.1.
  }
  const servers = resolvConfNameservers(text)
  if (servers.length === 0) servers.push('127.0.0.1')
  const queries: string[] = []
  const sockets: Socket[] = []
  for (const ip of servers) {
    const v6 = isIP(ip) === 6
    if (ip !== '127.0.0.1' && ip !== '::1') {
      const added = spawnSync(
        'ip',
        [
          v6 ? '-6' : '-4',
          'addr',
          'add',
          `${ip}/${v6 ? 128 : 32}`,
          'dev',
          'lo'
        ],
        { encoding: 'utf8' }
      )
      if (added.status !== 0 && !added.stderr.includes('File exists')) {
        throw new Error(
          `ip addr add ${ip} dev lo failed: ${added.stderr.trim()}`
        )
      }
    }
    const socket = createSocket(v6 ? 'udp6' : 'udp4')
    socket.on('message', (message, peer) => {
      const answer = nxdomain(message)
      if (!answer) return
      queries.push(answer.name)
      socket.send(answer.reply, peer.port, peer.address)
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(53, ip, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    sockets.push(socket)
  }
  return {
    queries,
    clear: () => {
      queries.length = 0
    },
    close: () =>
      Promise.all(
        sockets.map(
          (s) => new Promise<void>((resolve) => s.close(() => resolve()))
        )
      ).then(() => undefined)
  }
}

/**
 * The NXDOMAIN answer to a standard query: same id and question, QR and RA
 * set, RD copied, no records. Undefined for anything that is not a query.
 */
export function nxdomain(
  query: Buffer
): { reply: Buffer; name: string } | undefined {
  if (query.length < 12) return undefined
  const flags = query.readUInt16BE(2)
  if (flags & 0x8000) return undefined // a response, not a query
  if (query.readUInt16BE(4) !== 1) return undefined // one question only
  const labels: string[] = []
  let offset = 12
  while (offset < query.length) {
    const length = query[offset]!
    if (length === 0) break
    if (length > 63) return undefined // compression has no place in a question
    labels.push(
      query.subarray(offset + 1, offset + 1 + length).toString('latin1')
    )
    offset += 1 + length
  }
  const end = offset + 1 + 4 // root label, QTYPE, QCLASS
  if (end > query.length) return undefined
  const reply = Buffer.from(query.subarray(0, end))
  // QR=1, opcode and RD from the query, RA=1, RCODE=3 (NXDOMAIN).
  reply.writeUInt16BE(0x8000 | (flags & 0x7900) | 0x0080 | 3, 2)
  reply.writeUInt16BE(0, 6) // ANCOUNT
  reply.writeUInt16BE(0, 8) // NSCOUNT
  reply.writeUInt16BE(0, 10) // ARCOUNT (the query's EDNS record is dropped)
  return { reply, name: labels.join('.') }
}
