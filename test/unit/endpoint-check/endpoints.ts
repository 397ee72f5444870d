/** Test endpoints on 127.0.0.1 that behave well or badly in the ways Okta cares about. */
import http from 'node:http'
import type {AddressInfo} from 'node:net'

export type Behaviour =
  | 'good'
  | 'no-auth-check'
  | 'plain-text-challenge'
  | 'server-error'
  | 'slow'
  | 'wrong-value'
  | 'body-in-answer'
  | 'duplicate-refused'

export interface TestEndpoint {
  close: () => Promise<void>
  requests: {headers: http.IncomingHttpHeaders; method?: string; body: string}[]
  url: string
}

export async function testEndpoint(
  behaviour: Behaviour,
  options: {secret?: string; slowMs?: number} = {},
): Promise<TestEndpoint> {
  const requests: TestEndpoint['requests'] = []
  const seen = new Set<string>()
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      requests.push({body, headers: req.headers, method: req.method})
      const answer = () => {
        if (options.secret && behaviour !== 'no-auth-check' && req.headers.authorization !== options.secret) {
          res.writeHead(401).end()
          return
        }

        const challenge = String(req.headers['x-okta-verification-challenge'] ?? '')
        if (behaviour === 'server-error') {
          res.writeHead(500, {'Content-Type': 'text/plain'}).end('boom')
          return
        }

        if (req.method === 'GET') {
          if (behaviour === 'plain-text-challenge') res.writeHead(200, {'Content-Type': 'text/plain'}).end(challenge)
          else if (behaviour === 'wrong-value')
            res
              .writeHead(200, {'Content-Type': 'application/json'})
              .end(JSON.stringify({verification: 'not-the-challenge'}))
          else res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({verification: challenge}))
          return
        }

        if (behaviour === 'duplicate-refused') {
          const eventId = JSON.parse(body).eventId
          if (seen.has(eventId)) {
            res.writeHead(409).end()
            return
          }

          seen.add(eventId)
        }

        if (behaviour === 'body-in-answer')
          res.writeHead(200, {'Content-Type': 'application/json'}).end('{"received":true}')
        else res.writeHead(204).end()
      }

      if (behaviour === 'slow') setTimeout(answer, options.slowMs ?? 3200)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    requests,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`,
  }
}
