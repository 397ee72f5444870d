/**
 * The attributes a System Log `filter` may name: the LogEvent object of Okta's Management OpenAPI
 * (release 2026.06.3, data/eventhooks-systemlog-openapi-subset.json), leaf by leaf, plus the free-form
 * maps inside it (`debugContext.debugData.*`, `transaction.detail.*` as in Okta's documented
 * `transaction.detail.requestApiTokenId eq "…"`, `actor.detailEntry.*`, `target.detailEntry.*`,
 * `target.changeDetails.*`). `published` is a LogEvent attribute that filters refuse (since/until).
 */

type Tree = {readonly [name: string]: Tree | true}

const GEO: Tree = {
  city: true,
  country: true,
  geolocation: {lat: true, lon: true},
  postalCode: true,
  state: true,
}
const IP_DETAILS: Tree = {
  asNumber: true,
  asOrg: true,
  domain: true,
  ipServiceCategories: {isAnonymous: true, operator: true, type: true},
  isp: true,
}

const LOG_EVENT: Tree = {
  actor: {alternateId: true, displayName: true, id: true, type: true},
  authenticationContext: {
    authenticationProvider: true,
    authenticationStep: true,
    credentialProvider: true,
    credentialType: true,
    externalSessionId: true,
    interface: true,
    issuer: {id: true, type: true},
  },
  client: {
    device: true,
    geographicalContext: GEO,
    id: true,
    ipAddress: true,
    userAgent: {browser: true, os: true, rawUserAgent: true},
    zone: true,
  },
  displayMessage: true,
  eventType: true,
  legacyEventType: true,
  outcome: {reason: true, result: true},
  request: {ipChain: {geographicalContext: GEO, ip: true, ipDetails: IP_DETAILS, source: true, version: true}},
  securityContext: {
    asNumber: true,
    asOrg: true,
    botProtection: {level: true},
    domain: true,
    ipDetails: IP_DETAILS,
    isProxy: true,
    isp: true,
    risk: {detectionName: true, issuer: true, level: true, previousLevel: true, reasons: true},
    userBehaviors: {id: true, name: true, result: true},
  },
  severity: true,
  target: {alternateId: true, displayName: true, id: true, type: true},
  transaction: {id: true, type: true},
  uuid: true,
  version: true,
}

/** Maps whose keys are free-form: any `<prefix>.<key>[.<key>…]` is an attribute. */
const FREE_FORM = [
  'actor.detailEntry',
  'debugContext.debugData',
  'target.changeDetails',
  'target.detailEntry',
  'transaction.detail',
]

/** Attributes Okta's System Log query reference says `co` is not supported on (400 E0000031). */
export const NO_CONTAINS: ReadonlySet<string> = new Set([
  'debugContext.debugData.requestUri',
  'debugContext.debugData.url',
])

const KEY = /^[A-Za-z0-9_$-]+$/

/** Whether a dotted path names a filterable LogEvent attribute (a leaf, or a key under a free-form map). */
export function isLogAttribute(path: string): boolean {
  const parts = path.split('.')
  if (!parts.every((part) => KEY.test(part))) return false
  for (const prefix of FREE_FORM) if (path.startsWith(prefix + '.')) return true
  let node: Tree | true | undefined = LOG_EVENT
  for (const part of parts) {
    if (node === true || node === undefined || !Object.hasOwn(node, part)) return false
    node = node[part]
  }

  return node === true
}
