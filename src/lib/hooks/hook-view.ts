/** How a hook is shown to people and scripts: masked by default, secrets never (Okta never returns them). */
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
        ...(config.headers ? {headers: config.headers.map((h) => ({key: h.key, value: options.reveal ? h.value : MASK}))} : {}),
        ...(config.authScheme
          ? {authScheme: {...config.authScheme, ...(config.authScheme.value ? {value: MASK} : {})}}
          : {}),
      },
    },
  }
}

export interface HookRow {
  events: string
  id: string
  name: string
  status: string
  url: string
  verification: string
}

export function hookRow(hook: EventHook): HookRow {
  const items = hook.events?.items ?? []
  return {
    events: items.length <= 2 ? items.join(', ') : `${items.slice(0, 2).join(', ')} +${items.length - 2} more`,
    id: hook.id,
    name: hook.name,
    status: hook.status,
    url: displayUrl(hook.channel?.config?.uri ?? ''),
    verification: hook.verificationStatus,
  }
}

export async function renderHookTable(hooks: EventHook[]): Promise<string> {
  const {default: Table} = await import('cli-table3')
  const columns: [keyof HookRow, string][] = [
    ['id', 'ID'],
    ['name', 'NAME'],
    ['status', 'STATUS'],
    ['verification', 'VERIFICATION'],
    ['events', 'EVENTS'],
    ['url', 'URL'],
  ]
  const table = new Table({head: columns.map(([, title]) => title), style: {head: [], border: []}})
  for (const hook of hooks) {
    const row = hookRow(hook)
    table.push(columns.map(([key]) => row[key]))
  }

  return table.toString()
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
    `Auth header   ` + `${config?.authScheme ? `${config.authScheme.key} (secret write-only, not returned by Okta)` : 'none'}`,
    `Headers       ${(config?.headers ?? []).map((h) => `${h.key}: ${h.value}`).join('\n              ') || 'none'}`,
    `Events        ${(hook.events?.items ?? []).join('\n              ')}`,
  ]
  const filters = hook.events?.filter?.eventFilterMap ?? []
  if (filters.length > 0) {
    lines.push(`Filters       ${filters.map((f) => `${f.event}: ${f.condition?.expression}`).join('\n              ')}`)
  }

  lines.push(`Created       ${hook.created ?? ''}${hook.createdBy ? ` by ${hook.createdBy}` : ''}`, `Last updated  ${hook.lastUpdated ?? ''}`)
  return lines.join('\n')
}
