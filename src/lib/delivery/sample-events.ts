/**
 * Realistic System Log events for any event type, in the shape of Okta's own samples
 * (data/samples/ListLogs.json): every field present, a target that carries alternateId (which
 * typical receivers read), fresh uuid and published time.
 */
import {randomBytes, randomUUID} from 'node:crypto'

import type {LogEvent} from './envelope.js'

export interface SampleOptions {
  actor?: {alternateId?: string; displayName?: string; id?: string; type?: string}
  now?: Date
  target?: {alternateId?: string; displayName?: string; id?: string; type?: string}
}

const id = (prefix: string) =>
  prefix +
  randomBytes(9)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 17)

function targetTypeFor(eventType: string): {displayName: string; type: string; prefix: string; alternateId: string} {
  if (eventType.startsWith('group.user_membership'))
    return {alternateId: 'Sales', displayName: 'Sales', prefix: '00g', type: 'UserGroup'}
  if (eventType.startsWith('group.'))
    return {alternateId: 'Sales', displayName: 'Sales', prefix: '00g', type: 'UserGroup'}
  if (eventType.startsWith('application.'))
    return {alternateId: 'Example App', displayName: 'Example App', prefix: '0oa', type: 'AppInstance'}
  if (eventType.startsWith('policy.'))
    return {alternateId: 'Default Policy', displayName: 'Default Policy', prefix: '00p', type: 'Policy'}
  return {alternateId: 'jane.doe@example.com', displayName: 'Jane Doe', prefix: '00u', type: 'User'}
}

function displayMessageFor(eventType: string): string {
  const known: Record<string, string> = {
    'group.user_membership.add': 'Add user to group membership',
    'group.user_membership.remove': 'Remove user from group membership',
    'user.account.lock': 'Max sign in attempts exceeded',
    'user.lifecycle.activate': 'Activate Okta user',
    'user.lifecycle.create': 'Create Okta user',
    'user.lifecycle.deactivate': 'Deactivate Okta user',
    'user.lifecycle.delete.initiated': 'Delete Okta user',
    'user.lifecycle.suspend': 'Suspend Okta user',
    'user.session.start': 'User login to Okta',
  }
  return known[eventType] ?? eventType.split('.').join(' ')
}

/** Where the sample's client is (a fresh object per event: modifications must not leak between events). */
function sampleGeography(): Record<string, unknown> {
  return {
    city: 'New York',
    country: 'United States',
    geolocation: {lat: 40.7128, lon: -74.006},
    postalCode: '10001',
    state: 'New York',
  }
}

/** The one hop of the sample's client.ipChain and request.ipChain, as Okta records it. */
function sampleIpHop(): Record<string, unknown> {
  return {geographicalContext: sampleGeography(), ip: '198.51.100.7', source: null, version: 'V4'}
}

export function sampleEvent(eventType: string, options: SampleOptions = {}): LogEvent {
  const now = options.now ?? new Date()
  const kind = targetTypeFor(eventType)
  const transactionId = randomBytes(15)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'A')
    .slice(0, 27)
  const targets: Record<string, unknown>[] = [
    {
      alternateId: options.target?.alternateId ?? kind.alternateId,
      detailEntry: null,
      displayName: options.target?.displayName ?? kind.displayName,
      id: options.target?.id ?? id(kind.prefix),
      type: options.target?.type ?? kind.type,
    },
  ]
  if (eventType.startsWith('group.user_membership')) {
    targets.unshift({
      alternateId: 'jane.doe@example.com',
      detailEntry: null,
      displayName: 'Jane Doe',
      id: id('00u'),
      type: 'User',
    })
  }

  return {
    actor: {
      alternateId: options.actor?.alternateId ?? 'admin@example.com',
      detailEntry: null,
      displayName: options.actor?.displayName ?? 'Admin Example',
      id: options.actor?.id ?? id('00u'),
      type: options.actor?.type ?? 'User',
    },
    authenticationContext: {
      authenticationProvider: null,
      authenticationStep: 0,
      credentialProvider: null,
      credentialType: null,
      externalSessionId: id('idx'),
      interface: null,
      issuer: null,
      rootSessionId: id('idx'),
    },
    client: {
      device: 'Computer',
      geographicalContext: sampleGeography(),
      id: null,
      ipAddress: '198.51.100.7',
      ipChain: [sampleIpHop()],
      userAgent: {
        browser: 'CHROME',
        os: 'Mac OS X',
        rawUserAgent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
          '(KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36',
      },
      zone: 'null',
    },
    debugContext: {
      debugData: {
        requestId: transactionId,
        requestUri: '/api/v1/users',
        threatSuspected: 'false',
        url: '/api/v1/users?activate=true',
      },
    },
    device: null,
    displayMessage: displayMessageFor(eventType),
    eventType,
    insertionTimestamp: null,
    legacyEventType: `core.${eventType.replace(/\./g, '_')}`,
    outcome: {reason: null, result: 'SUCCESS'},
    published: now.toISOString(),
    request: {
      ipChain: [sampleIpHop()],
    },
    securityContext: {
      asNumber: 64_496,
      asOrg: 'example isp',
      domain: 'example.net',
      isProxy: false,
      isp: 'example isp',
    },
    severity: 'INFO',
    target: targets,
    transaction: {detail: {}, id: transactionId, type: 'WEB'},
    uuid: randomUUID(),
    version: '0',
  }
}
