/** The EventHook resource, as Okta's Management API defines it (data/eventhooks-systemlog-openapi-subset.json). */
export interface EventHookHeader {
  key: string
  value: string
}

export interface EventHookAuthScheme {
  key: string
  type: 'HEADER'
  /** Write-only: Okta never returns it. */
  value?: string
}

export interface EventHookFilterEntry {
  condition: {expression: string; version: null | string}
  event: string
}

export interface EventHookEvents {
  filter?: {eventFilterMap: EventHookFilterEntry[]; type: 'EXPRESSION_LANGUAGE'} | null
  items: string[]
  type: 'EVENT_TYPE'
}

export interface EventHookChannel {
  config: {
    authScheme?: EventHookAuthScheme | null
    headers?: EventHookHeader[] | null
    method?: string
    uri: string
  }
  type: 'HTTP'
  version: string
}

export interface EventHook {
  _links?: Record<string, unknown>
  channel: EventHookChannel
  created?: string
  createdBy?: string
  description?: null | string
  events: EventHookEvents
  id: string
  lastUpdated?: string
  name: string
  status: 'ACTIVE' | 'INACTIVE'
  verificationStatus: 'UNVERIFIED' | 'VERIFIED'
}

/** What create and replace send: no server-owned fields. */
export interface EventHookBody {
  channel: EventHookChannel
  description?: null | string
  events: EventHookEvents
  name: string
}
