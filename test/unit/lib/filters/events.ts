/**
 * LogEvents for the filter tests: Okta's real samples (data/samples/ListLogs*.json) and events
 * built on the first of them with the fields Okta's filter documentation shows in its payloads.
 */
import {readFileSync} from 'node:fs'

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../data/samples/${name}`, import.meta.url), 'utf8'))

/** user.session.start, SUCCESS, reason null, targets AuthenticatorEnrollment + AppInstance, no changedAttributes. */
export const LIST_LOGS_EVENT = (read('ListLogs.json') as Record<string, unknown>[])[0]
export const SECURITY_CONTEXT_EVENT = read('ListLogsWithAdditionalSecurityContext.json') as Record<string, unknown>
export const CREATE_WITH_FILTER_SAMPLE = read('CreateAnEventHookWithFilter.json') as {
  events: {filter: {eventFilterMap: {condition: {expression: string}; event: string}[]}}
}

type Target = {alternateId?: string; displayName?: string; id?: string; type?: string}

export interface EventParts {
  actor?: Target
  changedAttributes?: string
  eventType?: string
  outcome?: {reason?: null | string; result?: string}
  target?: Target[]
}

/** The ListLogs sample with the given parts replaced. */
export function logEvent(parts: EventParts): Record<string, unknown> {
  const event = structuredClone(LIST_LOGS_EVENT)
  if (parts.eventType) event.eventType = parts.eventType
  if (parts.actor) event.actor = {...(event.actor as object), ...parts.actor}
  if (parts.outcome) event.outcome = {...(event.outcome as object), ...parts.outcome}
  if (parts.target) event.target = parts.target
  if (parts.changedAttributes !== undefined) {
    const debugContext = event.debugContext as {debugData: Record<string, unknown>}
    debugContext.debugData.changedAttributes = parts.changedAttributes
  }

  return event
}

export const TEST_USER: Target = {
  alternateId: 'test_user@example.com',
  displayName: 'Test User',
  id: '00usnkgbd0FFDxYaj0h7',
  type: 'User',
}

/** A user added to a group, the group as the help page's sample payload shows it. */
export function groupMembershipAdd(group: Target, user: Target = TEST_USER): Record<string, unknown> {
  return logEvent({
    eventType: 'group.user_membership.add',
    target: [user, {alternateId: 'unknown', id: '00gsnc3qy7Uy6JZfy0h7', type: 'UserGroup', ...group}],
  })
}

/** An app event, the app as the help page's sample payload shows it. */
export function appEvent(app: Target, user: Target = TEST_USER): Record<string, unknown> {
  return logEvent({
    eventType: 'application.user_membership.add',
    target: [
      {
        alternateId: 'MY COMPANY Bookmark App',
        displayName: 'Bookmark App',
        id: '0oat26meilfdn0Em90h7',
        type: 'AppInstance',
        ...app,
      },
      user,
    ],
  })
}
