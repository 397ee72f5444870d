import {expect} from 'chai'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {buildEnvelope} from '../../../src/lib/delivery/envelope.js'
import {sendRequest} from '../../../src/lib/delivery/http-delivery.js'
import {sampleEvent} from '../../../src/lib/delivery/sample-events.js'
import {DeliveryStore} from '../../../src/lib/receiver/delivery-store.js'
import {exchangeLine} from '../../../src/lib/receiver/exchange-json.js'
import {type Exchange, normalizeListenPath, type Receiver, startReceiver} from '../../../src/lib/receiver/server.js'
import {CliError} from '../../../src/lib/errors.js'

const SECRET = 'hook-secret-value-1234'
const AUTH = {key: 'Authorization', value: SECRET}
const JSON_HEADERS = {Accept: 'application/json', 'Content-Type': 'application/json'}

/** Sends raw bytes and resolves with everything the server sent back before it closed (or 2 s passed). */
async function rawExchange(port: number, text: string): Promise<string> {
  const net = await import('node:net')
  return new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text))
    let data = ''
    const timer = setTimeout(() => socket.destroy(), 2000)
    socket.on('data', (d) => (data += d))
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(data)
    })
    socket.on('error', () => undefined)
  })
}

/** An envelope whose first event holds `depth` nested arrays: parseable, too deep for JSON.stringify. */
function deepEnvelopeBody(depth: number): string {
  const deep = '['.repeat(depth) + ']'.repeat(depth)
  return JSON.stringify(
    buildEnvelope({
      eventId: 'deep-1',
      events: [sampleEvent('user.lifecycle.create')],
      source: 'https://org/api/v1/eventHooks/who1',
    }),
  ).replace('"eventType":"user.lifecycle.create"', `"eventType":"user.lifecycle.create","nested":${deep}`)
}

function envelopeBody(count = 1, eventType = 'user.lifecycle.create'): string {
  const events = Array.from({length: count}, () => sampleEvent(eventType))
  return JSON.stringify(buildEnvelope({events, source: 'https://test-org.okta.example/api/v1/eventHooks/who123'}))
}

/** A test app behind --forward-to: answers each request with `reply`. */
async function testApp(reply: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<{
  close: () => Promise<void>
  received: {body: string; headers: http.IncomingHttpHeaders; method?: string}[]
  url: string
}> {
  const received: {body: string; headers: http.IncomingHttpHeaders; method?: string}[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      received.push({body, headers: req.headers, method: req.method})
      reply(req, body, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
  }
}

describe('receiver/server', () => {
  let receiver: Receiver | undefined
  let store: DeliveryStore
  let exchanges: Exchange[]

  const start = async (options: Parameters<typeof startReceiver>[0] = {}) => {
    exchanges = []
    receiver = await startReceiver({port: 0, store, ...options, onExchange: (e) => exchanges.push(e)})
    return receiver
  }

  beforeEach(() => {
    store = new DeliveryStore(join(mkdtempSync(join(tmpdir(), 'okta-hooks-recv-')), 'deliveries.ndjson'))
  })

  afterEach(async () => {
    await receiver?.close()
    receiver = undefined
  })

  it('answers the verification GET with 200 JSON {"verification": challenge} and records it', async () => {
    const r = await start()
    expect(r.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const result = await sendRequest({headers: {'X-Okta-Verification-Challenge': 'abc-123'}, method: 'GET', url: r.url})
    expect(result.status).to.equal(200)
    expect(result.headers['content-type']).to.equal('application/json')
    expect(JSON.parse(result.body)).to.deep.equal({verification: 'abc-123'})
    const [record] = store.readAll()
    expect(record).to.include({auth: 'none', kind: 'verification'})
    expect(record.response.status).to.equal(200)
    expect(r.stats).to.deep.equal({deliveries: 0, events: 0, failures: 0, requests: 1, verifications: 1})
  })

  it('acknowledges a delivery at once with 204 and an empty body, and counts a batch', async () => {
    const r = await start()
    const body = envelopeBody(3)
    const result = await sendRequest({body, headers: JSON_HEADERS, method: 'POST', url: r.url})
    expect(result.status).to.equal(204)
    expect(result.body).to.equal('')
    expect(exchanges).to.have.length(1)
    expect(exchanges[0].envelope?.data.events).to.have.length(3)
    expect(exchanges[0].record.delivery).to.deep.include({events: 3, eventTypes: ['user.lifecycle.create']})
    expect(r.stats).to.include({deliveries: 1, events: 3, failures: 0})
    expect(store.readAll()[0].request.body).to.equal(body)
  })

  it('with auth configured: right header passes, missing or wrong gets 401, and the secret never reaches the store', async () => {
    const r = await start({auth: AUTH})
    const good = await sendRequest({
      body: envelopeBody(),
      headers: {...JSON_HEADERS, Authorization: SECRET},
      method: 'POST',
      url: r.url,
    })
    const missing = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})
    const wrong = await sendRequest({
      body: envelopeBody(),
      headers: {...JSON_HEADERS, Authorization: 'hook-secret-value-1235'},
      method: 'POST',
      url: r.url,
    })
    const shorter = await sendRequest({
      headers: {Authorization: 'x', 'X-Okta-Verification-Challenge': 'c'},
      method: 'GET',
      url: r.url,
    })
    const verify = await sendRequest({
      headers: {Authorization: SECRET, 'X-Okta-Verification-Challenge': 'c'},
      method: 'GET',
      url: r.url,
    })
    expect([good.status, missing.status, wrong.status, shorter.status, verify.status]).to.deep.equal([
      204, 401, 401, 401, 200,
    ])
    expect(exchanges.map((e) => e.record.auth)).to.deep.equal(['ok', 'missing', 'wrong', 'wrong', 'ok'])
    expect(r.stats).to.include({deliveries: 1, failures: 3, requests: 5, verifications: 1})
    const {readFileSync} = await import('node:fs')
    const raw = readFileSync(store.path, 'utf8')
    expect(raw).not.to.contain(SECRET)
    expect(raw).not.to.contain('hook-secret-value-1235')
    expect(store.readAll()[0].request.headers.authorization).to.equal('****')
  })

  it('masks a custom auth header name at rest and redacts the secret if it appears in a body', async () => {
    const r = await start({auth: {key: 'X-Hook-Key', value: SECRET}})
    const body = JSON.stringify({leak: SECRET})
    const result = await sendRequest({
      body,
      headers: {...JSON_HEADERS, 'X-Hook-Key': SECRET},
      method: 'POST',
      url: r.url,
    })
    expect(result.status).to.equal(204)
    const [record] = store.readAll()
    expect(record.request.headers['x-hook-key']).to.equal('****')
    expect(record.request.body).to.equal('{"leak":"****"}')
    expect(record.problem?.code).to.equal('NOT_AN_ENVELOPE')
  })

  it('answers a body over --max-body with 413, by Content-Length or by streaming, and keeps serving', async () => {
    const r = await start({maxBodyBytes: 4000})
    const big = await sendRequest({body: 'x'.repeat(10_000), headers: JSON_HEADERS, method: 'POST', url: r.url})
    expect(big.status).to.equal(413)
    expect(big.body).to.contain('over the limit of 4000 bytes')
    // chunked, no Content-Length: the limit is enforced while reading
    const chunked = await new Promise<number | undefined>((resolve) => {
      const req = http.request(r.url, {headers: {'Content-Type': 'application/json'}, method: 'POST'}, (res) => {
        res.resume()
        resolve(res.statusCode)
      })
      req.on('error', () => resolve(undefined))
      req.write('y'.repeat(2500))
      req.write('y'.repeat(2500))
      req.end()
    })
    expect(chunked).to.equal(413)
    const after = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})
    expect(after.status).to.equal(204)
    const records = store.readAll()
    expect(records[0].problem?.code).to.equal('BODY_TOO_LARGE')
    expect(records[0].request.body).to.equal(undefined)
    expect(records[0].request.bodyBytes).to.equal(10_000)
  })

  it('answers malformed JSON with 400, records it anyway, and survives garbage', async () => {
    const r = await start()
    const bad = await sendRequest({
      body: '{"eventType": "com.okta.event_hook", ',
      headers: JSON_HEADERS,
      method: 'POST',
      url: r.url,
    })
    expect(bad.status).to.equal(400)
    expect(JSON.parse(bad.body).error).to.contain('not valid JSON')
    const binary = await sendRequest({body: '\u0000\uFFFD\u0001', headers: {}, method: 'POST', url: r.url})
    expect(binary.status).to.equal(400)
    const put = await sendRequest({body: '{}', headers: JSON_HEADERS, method: 'PUT', url: r.url})
    expect(put.status).to.equal(405)
    expect(put.headers.allow).to.equal('GET, POST')
    const elsewhere = await sendRequest({headers: {}, method: 'GET', url: r.url + 'other'})
    expect(elsewhere.status).to.equal(404)
    const noChallenge = await sendRequest({headers: {}, method: 'GET', url: r.url})
    expect(noChallenge.status).to.equal(400)
    const ok = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})
    expect(ok.status).to.equal(204)
    const records = store.readAll()
    expect(records.map((x) => x.problem?.code)).to.deep.equal([
      'MALFORMED_JSON',
      'MALFORMED_JSON',
      'METHOD_NOT_ALLOWED',
      'WRONG_PATH',
      'NO_CHALLENGE',
      undefined,
    ])
    expect(records[0].request.body).to.equal('{"eventType": "com.okta.event_hook", ')
  })

  it('survives a raw malformed HTTP request and a client that hangs up mid-body', async () => {
    const r = await start()
    const net = await import('node:net')
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(r.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'))
      let data = ''
      socket.on('data', (d) => (data += d))
      socket.on('close', () => resolve(data))
      socket.on('error', () => resolve(data))
    })
    expect(reply).to.contain('400')
    await new Promise<void>((resolve) => {
      const req = http.request(r.url, {
        headers: {'Content-Length': '500', 'Content-Type': 'application/json'},
        method: 'POST',
      })
      req.on('error', () => resolve())
      req.write('{"partial": ')
      setImmediate(() => {
        req.destroy()
        resolve()
      })
    })
    const ok = await sendRequest({headers: {'X-Okta-Verification-Challenge': 'still-here'}, method: 'GET', url: r.url})
    expect(ok.status).to.equal(200)
  })

  it('--path answers only on that path', async () => {
    const r = await start({path: '/okta/events'})
    expect(r.url).to.match(/\/okta\/events$/)
    const root = await sendRequest({
      headers: {'X-Okta-Verification-Challenge': 'c'},
      method: 'GET',
      url: r.url.replace('/okta/events', '/'),
    })
    const right = await sendRequest({
      headers: {'X-Okta-Verification-Challenge': 'c'},
      method: 'GET',
      url: r.url + '?x=1',
    })
    expect([root.status, right.status]).to.deep.equal([404, 200])
  })

  it('--respond-status and --respond-delay make deliveries fail or be slow, not the verification', async () => {
    const failing = await start({respondStatus: 503})
    expect(
      (await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: failing.url})).status,
    ).to.equal(503)
    expect(
      (await sendRequest({headers: {'X-Okta-Verification-Challenge': 'c'}, method: 'GET', url: failing.url})).status,
    ).to.equal(200)
    expect(failing.stats).to.include({deliveries: 1, failures: 1})
    await failing.close()
    // A minute's delay: a delivery runs out of its 0.1 s, the verification (3 s) is answered at once.
    const r = await start({respondDelayMs: 60_000})
    const delivery = await sendRequest({
      body: envelopeBody(),
      headers: JSON_HEADERS,
      method: 'POST',
      timeoutMs: 100,
      url: r.url,
    })
    expect(delivery.error).to.equal('TIMEOUT')
    const verify = await sendRequest({headers: {'X-Okta-Verification-Challenge': 'c'}, method: 'GET', url: r.url})
    expect(verify.status).to.equal(200)
  })

  it('refuses a port in use with a usage error naming --port', async () => {
    const r = await start()
    try {
      await startReceiver({port: r.port})
      expect.fail('should have thrown')
    } catch (error) {
      expect(error).to.be.instanceOf(CliError)
      expect((error as CliError).message).to.contain('already in use')
      expect((error as CliError).suggestions.join(' ')).to.contain('--port 0')
    }
  })

  it('keeps serving when the store cannot be written, and says so once', async () => {
    const warnings: string[] = []
    const {writeFileSync} = await import('node:fs')
    writeFileSync(store.path + '.file', 'a file, not a folder')
    receiver = await startReceiver({
      onWarning: (w) => warnings.push(w),
      port: 0,
      store: new DeliveryStore(join(store.path + '.file', 'deliveries.ndjson')),
    })
    for (let i = 0; i < 2; i++) {
      const result = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: receiver.url})
      expect(result.status).to.equal(204)
    }

    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.contain('could not record')
  })

  describe('--forward-to', () => {
    it("relays the verification GET and deliveries with their headers, returns the app's answer and judges the challenge", async () => {
      const app = await testApp((req, _body, res) => {
        if (req.method === 'GET') {
          res.writeHead(200, {'Content-Type': 'application/json'})
          res.end(JSON.stringify({verification: req.headers['x-okta-verification-challenge']}))
        } else {
          res.writeHead(200, {'Content-Type': 'text/plain'})
          res.end('thanks')
        }
      })
      try {
        const r = await start({auth: AUTH, forwardTo: app.url})
        const verify = await sendRequest({
          headers: {Authorization: SECRET, 'X-Okta-Verification-Challenge': 'fwd-1'},
          method: 'GET',
          url: r.url,
        })
        expect(verify.status).to.equal(200)
        expect(JSON.parse(verify.body)).to.deep.equal({verification: 'fwd-1'})
        const body = envelopeBody(2)
        const delivery = await sendRequest({
          body,
          headers: {...JSON_HEADERS, Authorization: SECRET, 'X-Custom': 'v'},
          method: 'POST',
          url: r.url,
        })
        expect(delivery.status).to.equal(200)
        expect(delivery.body).to.equal('thanks')
        const refused = await sendRequest({body, headers: JSON_HEADERS, method: 'POST', url: r.url})
        expect(refused.status).to.equal(401)
        expect(app.received).to.have.length(2) // the unauthorized one never reaches the app
        expect(app.received[1].body).to.equal(body)
        expect(app.received[1].headers).to.include({
          authorization: SECRET,
          'content-type': 'application/json',
          'x-custom': 'v',
        })
        expect(exchanges[0].verificationAnswer?.status).to.equal('pass')
        expect(exchanges[1].record.forward).to.include({status: 200, url: app.url, withinBudget: true})
        expect(exchanges[1].envelope?.data.events).to.have.length(2)
      } finally {
        await app.close()
      }
    })

    it('reports a failing app and a wrong challenge answer', async () => {
      const app = await testApp((req, _body, res) => {
        res.writeHead(req.method === 'GET' ? 200 : 500, {'Content-Type': 'text/plain'})
        res.end(req.method === 'GET' ? String(req.headers['x-okta-verification-challenge']) : 'boom')
      })
      try {
        const r = await start({forwardTo: app.url})
        await sendRequest({headers: {'X-Okta-Verification-Challenge': 'plain'}, method: 'GET', url: r.url})
        const delivery = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})
        expect(delivery.status).to.equal(500)
        expect(exchanges[0].verificationAnswer).to.deep.include({status: 'fail'})
        expect(exchanges[0].verificationAnswer?.detail).to.contain('plain text')
        expect(r.stats.failures).to.equal(1)
      } finally {
        await app.close()
      }
    })

    it('--answer-verification: the challenge is answered here, only deliveries reach an app that has no verification handler', async () => {
      // Like Okta's Hookdeck sample: POST only; a GET gets its framework's 404.
      const app = await testApp((req, _body, res) => {
        res.writeHead(req.method === 'POST' ? 200 : 404)
        res.end()
      })
      try {
        const r = await start({answerVerification: true, auth: AUTH, forwardTo: app.url})
        const verify = await sendRequest({
          headers: {Authorization: SECRET, 'X-Okta-Verification-Challenge': 'answered-here'},
          method: 'GET',
          url: r.url,
        })
        expect([verify.status, JSON.parse(verify.body)]).to.deep.equal([200, {verification: 'answered-here'}])
        const noChallenge = await sendRequest({headers: {Authorization: SECRET}, method: 'GET', url: r.url})
        expect(noChallenge.status).to.equal(400)
        const delivery = await sendRequest({
          body: envelopeBody(),
          headers: {...JSON_HEADERS, Authorization: SECRET},
          method: 'POST',
          url: r.url,
        })
        expect(delivery.status).to.equal(200)
        expect(app.received.map((request) => request.method)).to.deep.equal(['POST'])
        expect(
          exchanges.map((e) => [e.record.kind, e.record.response.status, Boolean(e.record.forward)]),
        ).to.deep.equal([
          ['verification', 200, false],
          ['other', 400, false],
          ['delivery', 200, true],
        ])
      } finally {
        await app.close()
      }
    })

    it('relays a call carrying a replay token that replayTarget knows to that URL instead; an unknown token changes nothing', async () => {
      const [app, other] = await Promise.all([
        testApp((_req, _body, res) => res.writeHead(204).end()),
        testApp((_req, _body, res) => res.writeHead(202).end()),
      ])
      try {
        const tokens: string[] = []
        const r = await start({
          forwardTo: app.url,
          replayTarget: (token) => (tokens.push(token), token === 'known' ? other.url : undefined),
        })
        const sent = await sendRequest({
          body: envelopeBody(),
          headers: {...JSON_HEADERS, 'X-Okta-Hooks-Replay': 'known'},
          method: 'POST',
          url: r.url,
        })
        const unknown = await sendRequest({
          body: envelopeBody(),
          headers: {...JSON_HEADERS, 'X-Okta-Hooks-Replay': 'guessed'},
          method: 'POST',
          url: r.url,
        })
        expect([sent.status, unknown.status]).to.deep.equal([202, 204])
        expect([other.received.length, app.received.length, tokens]).to.deep.equal([1, 1, ['known', 'guessed']])
        expect(exchanges[0].record.forward?.url).to.equal(other.url)
      } finally {
        await Promise.all([app.close(), other.close()])
      }
    })

    it('times a slow app against the budget and answers 504 when it never answers, 502 when it is down', async () => {
      const app = await testApp((_req, _body, res) => {
        setTimeout(() => {
          res.writeHead(204)
          res.end()
        }, 150)
      })
      try {
        const r = await start({forwardTimeoutMs: 50, forwardTo: app.url})
        const late = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})
        expect(late.status).to.equal(504)
        expect(exchanges[0].record.forward).to.include({error: 'TIMEOUT', withinBudget: false})
        await r.close()
        receiver = undefined
        const slowOk = await start({forwardTimeoutMs: 2000, forwardTo: app.url})
        const ok = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: slowOk.url})
        expect(ok.status).to.equal(204)
        expect(exchanges[0].record.forward?.latencyMs).to.be.at.least(140)
      } finally {
        await app.close()
      }

      await (receiver as Receiver | undefined)?.close()
      const down = await start({forwardTo: app.url})
      const result = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: down.url})
      expect(result.status).to.equal(502)
      expect(JSON.parse(result.body).error).to.contain('could not reach the app')
    })
  })

  describe('edges', () => {
    it('answers headers over 16 KiB with 431 and keeps serving', async () => {
      const r = await start()
      const reply = await rawExchange(r.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
      expect(reply).to.match(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
      expect(reply).to.contain('over the 16 KiB limit')
      const ok = await sendRequest({headers: {'X-Okta-Verification-Challenge': 'after'}, method: 'GET', url: r.url})
      expect(ok.status).to.equal(200)
    })

    it('answers CONNECT and unknown methods with 405 and Allow: GET, POST; garbage stays 400', async () => {
      const r = await start()
      const connect = await rawExchange(r.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')
      expect(connect).to.match(/^HTTP\/1\.1 405 Method Not Allowed\r\n/)
      expect(connect).to.contain('Allow: GET, POST').and.contain('CONNECT is not how Okta calls a hook')
      const unknown = await rawExchange(r.port, 'FROB / HTTP/1.1\r\nHost: x\r\n\r\n')
      expect(unknown).to.match(/^HTTP\/1\.1 405 /)
      expect(unknown).to.contain('Allow: GET, POST')
      const propfind = await sendRequest({headers: {}, method: 'PROPFIND', url: r.url})
      expect([propfind.status, propfind.headers.allow]).to.deep.equal([405, 'GET, POST'])
      expect(await rawExchange(r.port, 'NOT HTTP AT ALL\r\n\r\n')).to.match(/^HTTP\/1\.1 400 /)
      const records = store.readAll()
      expect(records.map((x) => [x.request.method, x.response.status, x.problem?.code])).to.deep.equal([
        ['CONNECT', 405, 'METHOD_NOT_ALLOWED'],
        ['PROPFIND', 405, 'METHOD_NOT_ALLOWED'],
      ])
      expect(r.stats).to.include({failures: 2, requests: 2})
    })

    it('cuts a body that never finishes after the body timeout with 408, records it, and keeps serving', async () => {
      const r = await start({bodyTimeoutMs: 100})
      const status = await new Promise<number | undefined>((resolve) => {
        const req = http.request(
          r.url,
          {headers: {'Content-Length': '1000', 'Content-Type': 'application/json'}, method: 'POST'},
          (res) => {
            res.resume()
            resolve(res.statusCode)
          },
        )
        req.on('error', () => resolve(undefined))
        req.write('{"eventType": "com.okta.event_hook", ') // and never the rest
      })
      expect(status).to.equal(408)
      const [record] = store.readAll()
      expect(record.problem?.code).to.equal('BODY_TIMEOUT')
      expect(record.problem?.message).to.contain('0.1 s')
      expect(record.request.body).to.equal(undefined)
      expect(r.stats).to.include({deliveries: 0, failures: 1})
      const ok = await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})
      expect(ok.status).to.equal(204)
    })

    it('--path: refuses dot segments (plain or %-encoded), and matches requests whose path resolves to it', async () => {
      for (const path of [
        '/okta/../events',
        '/okta/./events',
        '/okta/%2e%2e/events',
        '/okta/%2E/events',
        '/..',
        '/a\\b',
      ]) {
        expect(() => normalizeListenPath(path), path).to.throw(CliError)
      }

      expect(normalizeListenPath('/okta/événements')).to.equal('/okta/%C3%A9v%C3%A9nements')
      const r = await start({path: '/okta/events'})
      const resolved = await rawExchange(
        r.port,
        'GET /okta/x/../events HTTP/1.1\r\nHost: x\r\nX-Okta-Verification-Challenge: dots\r\nConnection: close\r\n\r\n',
      )
      expect(resolved).to.match(/^HTTP\/1\.1 200 /)
      const encoded = await rawExchange(
        r.port,
        'GET /okta/x/%2e%2e/events HTTP/1.1\r\nHost: x\r\nX-Okta-Verification-Challenge: dots\r\nConnection: ' +
          'close\r\n\r\n',
      )
      expect(encoded).to.match(/^HTTP\/1\.1 200 /)
      const escaped = await rawExchange(
        r.port,
        'GET /okta/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      )
      expect(escaped).to.match(/^HTTP\/1\.1 404 /)
    })

    it('a delivery nested too deep to pretty-print is acknowledged, recorded and still gets its JSON line', async () => {
      const r = await start()
      const body = deepEnvelopeBody(100_000)
      const result = await sendRequest({body, headers: JSON_HEADERS, method: 'POST', url: r.url})
      expect(result.status).to.equal(204)
      const [record] = store.readAll()
      expect(record.request.body).to.equal(body)
      expect(record.delivery).to.deep.equal({eventId: 'deep-1', events: 1, eventTypes: ['user.lifecycle.create']})
      expect(exchanges).to.have.length(1)
      const line = exchangeLine(exchanges[0])
      expect(line).not.to.contain('\n')
      const parsed = JSON.parse(line)
      expect(parsed).to.include({batchSize: 1, eventId: 'deep-1', status: 204, type: 'delivery'})
      expect(parsed.envelope.data.events[0].eventType).to.equal('user.lifecycle.create')
      expect(parsed.events[0].eventType).to.equal('user.lifecycle.create')
      // a deep value where a string is expected (eventId, eventType) is not shown as text, and nothing crashes
      const deep = '['.repeat(50_000) + ']'.repeat(50_000)
      const odd = `{"data":{"events":[{"eventType":${deep}}]},"eventId":${deep},"eventType":"com.okta.event_hook"}`
      expect((await sendRequest({body: odd, headers: JSON_HEADERS, method: 'POST', url: r.url})).status).to.equal(204)
      expect(store.readAll()[1].delivery).to.deep.equal({events: 1, eventTypes: ['?']})
      expect(JSON.parse(exchangeLine(exchanges[1])).envelope.eventType).to.equal('com.okta.event_hook')
      expect(
        (await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})).status,
      ).to.equal(204)
    })

    it('serves other parts (routes) beside the hook endpoint, unrecorded, and tells subscribers of each exchange', async () => {
      const r = await start({
        routes: [
          {
            handle: (_req, res) => void res.writeHead(200, {'Content-Type': 'text/plain'}).end('inspector'),
            matches: (pathname) => pathname.startsWith('/__inspector/'),
          },
        ],
      })
      const seen: string[] = []
      const unsubscribe = r.subscribe((exchange) => seen.push(exchange.record.kind))
      const page = await sendRequest({headers: {}, method: 'GET', url: r.url + '__inspector/'})
      expect([page.status, page.body]).to.deep.equal([200, 'inspector'])
      await sendRequest({headers: {'X-Okta-Verification-Challenge': 'c'}, method: 'GET', url: r.url})
      unsubscribe()
      await sendRequest({body: envelopeBody(), headers: JSON_HEADERS, method: 'POST', url: r.url})
      expect(seen).to.deep.equal(['verification'])
      expect(exchanges.map((e) => e.record.kind)).to.deep.equal(['verification', 'delivery'])
      expect(store.readAll()).to.have.length(2)
      expect(r.stats.requests).to.equal(2)
    })
  })
})
