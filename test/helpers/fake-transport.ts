/**
 * An OktaTransport over a list of System Log events in memory, for library tests of what reads the
 * System Log (replay, reconcile, filter test): GET /api/v1/logs answers the events in the query's
 * window (`since` ≤ published < `until`) of the types its `eventType eq "…"` terms name (others
 * ignored), `limit` at a time, with Okta's `Link: <…>; rel="next"` until the last page. Every other
 * request is answered from `routes` or refused.
 */
import type {OktaResponse, OktaTransport} from '../../src/lib/okta/okta-sdk.js'

export const FAKE_ORG = 'https://fake.okta.example'

export interface FakeTransport extends OktaTransport {
  /** Every request's URL, in order. */
  requests: string[]
}

export function fakeTransport(events: Record<string, unknown>[], routes: Record<string, unknown> = {}): FakeTransport {
  const requests: string[] = []
  return {
    orgUrl: FAKE_ORG,
    requests,
    async request<T>(method: string, pathOrUrl: string, options: {raw?: boolean} = {}): Promise<OktaResponse<T>> {
      const url = new URL(pathOrUrl, FAKE_ORG)
      requests.push(`${method} ${url.pathname}${url.search}`)
      if (url.pathname !== '/api/v1/logs') {
        if (!(url.pathname in routes)) throw new Error(`fake transport: no route for ${method} ${url.pathname}`)
        const body = routes[url.pathname]
        return {body: (options.raw ? JSON.stringify(body) : body) as T, headers: {}, status: 200} as OktaResponse<T>
      }

      const query = url.searchParams
      const types = [...(query.get('filter') ?? '').matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1])
      const uuids = [...(query.get('filter') ?? '').matchAll(/uuid eq "([^"]+)"/g)].map((m) => m[1])
      const since = Date.parse(query.get('since') ?? '1970-01-01T00:00:00Z')
      const until = Date.parse(query.get('until') ?? '2999-01-01T00:00:00Z')
      const inWindow = events.filter((event) => {
        const at = Date.parse(String(event.published))
        return (
          at >= since &&
          at < until &&
          (types.length === 0 || types.includes(String(event.eventType))) &&
          (uuids.length === 0 || uuids.includes(String(event.uuid)))
        )
      })
      if (query.get('sortOrder') === 'DESCENDING') inWindow.reverse()
      const limit = Number(query.get('limit') ?? 100)
      const offset = Number(query.get('after') ?? 0)
      const page = inWindow.slice(offset, offset + limit)
      const headers: Record<string, string> = {}
      if (offset + limit < inWindow.length) {
        const next = new URL(url)
        next.searchParams.set('after', String(offset + limit))
        headers.link = `<${next}>; rel="next"`
      }

      const body = options.raw ? JSON.stringify(page) : page
      return {body: body as T, headers, status: 200} as OktaResponse<T>
    },
  }
}
