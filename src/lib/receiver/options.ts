/** Parsing of listen's and the store's command-line values (sizes, store path). No oclif here. */
import {resolve} from 'node:path'

import {usageError} from '../errors.js'
import {displayUrl, refuseCredentials, tryParseUrl} from '../net/urls.js'
import {defaultStorePath} from './delivery-store.js'

export const RECORD_FLAG_DESCRIPTION =
  'File of recorded requests and responses (NDJSON, secrets masked). ' +
  "Default: deliveries.ndjson in the CLI's data folder."

/** The store file: --record PATH, or deliveries.ndjson under the CLI's data folder. */
export function storePath(record: string | undefined, dataDir: string): string {
  return record ? resolve(record) : defaultStorePath(dataDir)
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
}

/** "1048576", "512k", "1MiB", "2GiB" → bytes (binary units). */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = match?.[2].toLowerCase() ?? ''
  if (!match || !(unit in UNITS))
    throw usageError(`${flag} "${text}" is not a size.`, [`Give bytes or k/M/G, e.g. ${flag} 1MiB or ${flag} 512k`])
  const bytes = Math.floor(Number(match[1]) * UNITS[unit])
  if (bytes < 1) throw usageError(`${flag} must be at least 1 byte.`)
  return bytes
}

/** Bytes as a person reads them: "100 MiB", "512 KiB", "300 B". */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`
  }

  return `${bytes} B`
}

/** An http(s) URL of the developer's app, for --forward-to and --to. */
export function parseAppUrl(text: string, flag: string): string {
  refuseCredentials(text, flag)
  const url = tryParseUrl(text)
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw usageError(`${flag} "${displayUrl(text)}" is not an http(s) URL.`, [
      `e.g. ${flag} http://localhost:3000/okta/events`,
    ])
  }

  return url.toString()
}
