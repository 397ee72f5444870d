/** How a hook is shown to people and scripts: masked by default, secrets never (Okta never returns them). */
import {type Column, type Output, renderTable} from '../io/table.js'
import {displayUrl} from '../net/urls.js'
import {MASK} from '../secrets/mask.js'
import type {EventHook} from './types.js'

/**
 * A hook as printed by `get` and `--json`: custom header values masked unless `reveal`, since they
 * often carry shared secrets. The auth secret is write-only in Okta; if one is present, it is masked always.
 */
export function maskedHook(hook: EventHook, options: {reveal?: boolean} = {}): EventHook {
  const config = hook.channel?.config ?? ({} as EventHook['channel']['config'])
  return {
    ...hook,
    channel: {
      ...hook.channel,
      config: {
        ...config,
        ...(config.uri ? {uri: displayUrl(config.uri)} : {}),
        ...(config.headers
          ? {headers: config.headers.map((h) => ({key: h.key, value: options.reveal ? h.value : MASK}))}
          : {}),
        ...(config.authScheme
          ? {authScheme: {...config.authScheme, ...(config.authScheme.value ? {value: MASK} : {})}}
          : {}),
      },
    },
  }
}

interface HookRow {
  events: string[]
  id: string
  name: string
  status: string
  url: string
  verification: string
}

function hookRow(hook: EventHook): HookRow {
  return {
    events: hook.events?.items ?? [],
    id: hook.id,
    name: hook.name,
    status: hook.status,
    url: displayUrl(hook.channel?.config?.uri ?? ''),
    verification: hook.verificationStatus,
  }
}

/** A hook's event types in a table: all of them when nothing is cut (piped, --wide), else the first and a count. */
function eventsCell(events: string[], output: Output): string {
  if (!output.tty || output.wide || events.length <= 1) return events.join(', ')
  return `${events[0]} +${events.length - 1} more`
}

const HOOK_COLUMNS: Column<HookRow>[] = [
  {cell: (row) => row.id, header: 'ID'},
  {cell: (row) => row.name, flexible: true, header: 'NAME'},
  {cell: (row) => row.status, header: 'STATUS'},
  {cell: (row) => row.verification, header: 'VERIFICATION'},
  {cell: (row, output) => eventsCell(row.events, output), flexible: 'first', header: 'EVENTS'},
  {cell: (row) => row.url, flexible: true, header: 'URL'},
]

/** `list` for people (one line per hook at a terminal) and for pipes (tab-separated). */
export function renderHookTable(hooks: EventHook[], output: Output): string {
  return renderTable(
    HOOK_COLUMNS,
    hooks.map((hook) => hookRow(hook)),
    output,
  )
}

/** `get` for people: every field, one per line. */
export function renderHookDetail(hook: EventHook): string {
  const config = hook.channel?.config
  const lines = [
    `ID            ${hook.id}`,
    `Name          ${hook.name}`,
    `Description   ${hook.description ?? ''}`,
    `Status        ${hook.status}`,
    `Verification  ${hook.verificationStatus}`,
    `URL           ${displayUrl(config?.uri ?? '')}`,
    `Method        ${config?.method ?? 'POST'}`,
    `Auth header   ` +
      `${config?.authScheme ? `${config.authScheme.key} (secret write-only, not returned by Okta)` : 'none'}`,
    `Headers       ${(config?.headers ?? []).map((h) => `${h.key}: ${h.value}`).join('\n              ') || 'none'}`,
    `Events        ${(hook.events?.items ?? []).join('\n              ')}`,
  ]
  const filters = hook.events?.filter?.eventFilterMap ?? []
  if (filters.length > 0) {
    lines.push(`Filters       ${filters.map((f) => `${f.event}: ${f.condition?.expression}`).join('\n              ')}`)
  }

  lines.push(
    `Created       ${hook.created ?? ''}${hook.createdBy ? ` by ${hook.createdBy}` : ''}`,
    `Last updated  ${hook.lastUpdated ?? ''}`,
  )
  return lines.join('\n')
}
