import {expect} from 'chai'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {buildEnvelope} from '../../../../src/lib/delivery/envelope.js'
import {sampleEvent} from '../../../../src/lib/delivery/sample-events.js'
import {CliError} from '../../../../src/lib/errors.js'
import {type Inspector, startInspector} from '../../../../src/lib/inspector/inspector.js'
import {InspectorReplays} from '../../../../src/lib/inspector/replays.js'
import {DeliveryStore} from '../../../../src/lib/receiver/delivery-store.js'
import {type Receiver, startReceiver} from '../../../../src/lib/receiver/server.js'
import {type Receiver as App, startReceiver as startApp, stopAll} from '../../../helpers/sandbox.js'

const SECRET = 'inspector-test-secret-31'
const AUTH = {key: 'Authorization', value: SECRET}

interface Answer {
  body: string
  headers: http.IncomingHttpHeaders
  json: any
  status: number
}

/** One request to the inspector, with the headers a browser (or a rebinding attacker) would send. */
function call(
  inspector: Inspector,
  path: string,
  options: {body?: string; headers?: Record<string, string>; method?: string} = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        headers: {Host: `127.0.0.1:${inspector.port}`, ...options.headers},
        host: '127.0.0.1',
        method: options.method ?? 'GET',
        path,
        port: inspector.port,
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8').on('data', (chunk) => (body += chunk))
        response.on('end', () => {
          let json: any
          try {
            json = JSON.parse(body)
          } catch {
            json = undefined
          }

          resolve({body, headers: response.headers, json, status: response.statusCode ?? 0})
        })
      },
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

function delivery(target: string, type = 'user.lifecycle.create'): string {
  return JSON.stringify(
    buildEnvelope({
      events: [sampleEvent(type, {target: {alternateId: target, displayName: target}})],
      source: 'https://acme.okta.com/api/v1/eventHooks/who1',
    }),
  )
}

/** The events of a server-sent event stream, as they arrive. */
function stream(
  inspector: Inspector,
  query = '',
): Promise<{close: () => void; events: {data: any; event: string}[]; next: (count: number) => Promise<void>}> {
  return new Promise((resolve) => {
    const events: {data: any; event: string}[] = []
    const waiters: (() => void)[] = []
    const request = http.get(
      {
        headers: {Host: `127.0.0.1:${inspector.port}`},
        host: '127.0.0.1',
        path: `/api/stream${query}`,
        port: inspector.port,
      },
      (response) => {
        let buffer = ''
        response.setEncoding('utf8').on('data', (chunk: string) => {
          buffer += chunk
          const blocks = buffer.split('\n\n')
          buffer = blocks.pop() ?? ''
          for (const block of blocks) {
            const event = /^event: (.+)$/m.exec(block)?.[1]
            const data = /^data: (.+)$/m.exec(block)?.[1]
            if (event && data) events.push({data: JSON.parse(data), event})
          }

          for (const waiter of waiters.splice(0)) waiter()
        })
        resolve({
          close: () => request.destroy(),
          events,
          next: (count) =>
            new Promise<void>((done) => {
              const check = () => (events.length >= count ? done() : waiters.push(check))
              check()
            }),
        })
      },
    )
  })
}

describe('inspector: page, JSON API, live stream, replay', function () {
  this.timeout(20_000)
  let receiver: Receiver
  let inspector: Inspector
  let store: DeliveryStore
  let app: App
  let post: (body: string, headers?: Record<string, string>) => Promise<Response>

  beforeEach(async () => {
    store = new DeliveryStore(join(mkdtempSync(join(tmpdir(), 'okta-hooks-inspector-')), 'deliveries.ndjson'))
    app = await startApp((request, response) =>
      response.writeHead(request.body.includes('fail@example.com') ? 500 : 204).end(),
    )
    const late: {replays?: InspectorReplays} = {} // the receiver asks the replays, which need the receiver
    receiver = await startReceiver({
      auth: AUTH,
      forwardTo: app.url,
      port: 0,
      replayTarget: (token) => late.replays?.targetFor(token),
      store,
    })
    const replays = new InspectorReplays({
      auth: AUTH,
      endpoint: receiver.url,
      forwardTo: app.url,
      subscribe: (listener) => receiver.subscribe(listener),
    })
    late.replays = replays
    inspector = await startInspector({
      port: 0,
      replays,
      session: {
        answerVerification: false,
        defaultReplayTarget: replays.defaultTarget,
        forwardTo: app.url,
        listenUrl: receiver.url,
        record: store.path,
        version: '0.0.0-test',
      },
      store,
      subscribe: (listener) => receiver.subscribe(listener),
    })
    post = (body, headers = {}) =>
      fetch(receiver.url, {
        body,
        headers: {Authorization: SECRET, 'Content-Type': 'application/json', ...headers},
        method: 'POST',
      })
  })

  afterEach(async () => {
    await inspector.close()
    await receiver.close()
    await stopAll()
  })

  it('serves its own page (token inside, strict CSP, no CDN) and its script and styles', async () => {
    const page = await call(inspector, '/')
    const {token} = (await call(inspector, '/api/session')).json
    expect(page.status).to.equal(200)
    expect(page.headers['content-type']).to.contain('text/html')
    expect(page.body).to.contain(`<meta name="okta-hooks-token" content="${token}" />`)
    expect(page.body).not.to.match(/https?:\/\/(?!127\.0\.0\.1)/) // nothing from elsewhere
    expect(page.headers['content-security-policy'])
      .to.contain("script-src 'self'")
      .and.contain("frame-ancestors 'none'")
    expect(page.headers['x-frame-options']).to.equal('DENY')
    expect((await call(inspector, '/inspector.js')).headers['content-type']).to.contain('javascript')
    expect((await call(inspector, '/inspector.css')).headers['content-type']).to.contain('text/css')
    expect((await call(inspector, '/nothing')).status).to.equal(404)
    expect((await call(inspector, '/', {method: 'DELETE'})).status).to.equal(405)
    expect((await call(inspector, '/api/requests/x/replay')).status).to.equal(405)
  })

  it('refuses every other Host (DNS rebinding), and replays without the token or from another origin', async () => {
    const rebound = await call(inspector, '/api/requests', {headers: {Host: `attacker.example:${inspector.port}`}})
    expect(rebound.status).to.equal(403)
    expect(rebound.body).to.contain('answers only on loopback')
    await post(delivery('grace@example.com'))
    const {id} = (await call(inspector, '/api/requests')).json.requests[0]
    const {token} = (await call(inspector, '/api/session')).json
    const noToken = await call(inspector, `/api/requests/${id}/replay`, {body: '{}', method: 'POST'})
    const elsewhere = await call(inspector, `/api/requests/${id}/replay`, {
      body: '{}',
      headers: {Origin: 'https://attacker.example', 'X-Okta-Hooks-Token': token},
      method: 'POST',
    })
    expect([noToken.status, elsewhere.status]).to.deep.equal([403, 403])
    expect(app.requests).to.have.length(1) // only the original delivery
  })

  it('lists requests newest first with their verdict, filters them, details one, and streams new ones live', async () => {
    const live = await stream(inspector)
    const typed = await stream(inspector, '?eventType=group.user_membership.add')
    await fetch(receiver.url, {headers: {Authorization: SECRET, 'X-Okta-Verification-Challenge': 'c1'}})
    await post(delivery('grace@example.com'))
    await post(delivery('fail@example.com', 'group.user_membership.add'))
    await post(delivery('nobody@example.com'), {Authorization: 'wrong'})
    await live.next(4)
    await typed.next(1)
    expect(live.events.map((e) => [e.event, e.data.kind, e.data.status, e.data.verdict])).to.deep.equal([
      ['request', 'verification', 204, 'rejected'], // the app behind --forward-to answers 204, not the challenge
      ['request', 'delivery', 204, 'accepted'],
      ['request', 'delivery', 500, 'failed'],
      ['request', 'delivery', 401, 'rejected'],
    ])
    expect(typed.events.map((e) => e.data.eventTypes)).to.deep.equal([['group.user_membership.add']])
    live.close()
    typed.close()

    const list = (await call(inspector, '/api/requests')).json
    expect(list.requests.map((r: any) => r.n)).to.deep.equal([4, 3, 2, 1])
    expect(list.eventTypes).to.deep.equal(['group.user_membership.add', 'user.lifecycle.create'])
    expect([list.more, list.filtered]).to.deep.equal([false, false])
    const failed = (await call(inspector, '/api/requests?verdict=failed')).json
    expect(failed.requests.map((r: any) => r.n)).to.deep.equal([3])
    expect((await call(inspector, '/api/requests?q=GRACE@example')).json.requests.map((r: any) => r.n)).to.deep.equal([
      2,
    ])
    expect(
      (await call(inspector, '/api/requests?status=4xx&kind=delivery')).json.requests.map((r: any) => r.n),
    ).to.deep.equal([4])
    expect((await call(inspector, '/api/requests?limit=2')).json).to.deep.include({more: true})

    const detail = (await call(inspector, `/api/requests/${list.requests[2].id}`)).json
    expect(detail.record.request.headers.authorization).to.equal('****')
    expect(JSON.stringify(detail)).not.to.contain(SECRET)
    expect(detail.events[0].targetText).to.equal('created grace@example.com')
    expect(detail.summary.verdict).to.equal('accepted')
    expect((await call(inspector, '/api/requests/zzzzzzzz')).status).to.equal(404)
  })

  it('replays, with an edited body, through listen to the forward target or another URL; finds the replay in the list', async () => {
    await post(delivery('grace@example.com'))
    const [{id}] = (await call(inspector, '/api/requests')).json.requests
    const {token} = (await call(inspector, '/api/session')).json
    const replay = (body: unknown) =>
      call(inspector, `/api/requests/${id}/replay`, {
        body: JSON.stringify(body),
        headers: {
          'Content-Type': 'application/json',
          Origin: `http://127.0.0.1:${inspector.port}`,
          'X-Okta-Hooks-Token': token,
        },
        method: 'POST',
      })

    const same = await replay({})
    expect(same.status).to.equal(200)
    expect(same.json).to.deep.include({replayOf: id, to: app.url, verdict: 'accepted'})
    expect(same.json.recorded).to.deep.include({n: 2, replayOf: id})

    const edited = JSON.parse(store.get(id).request.body as string)
    edited.data.events[0].target[0].alternateId = 'fail@example.com'
    const changed = await replay({body: JSON.stringify(edited)})
    expect(changed.json).to.deep.include({verdict: 'failed'})
    expect(changed.json.response.status).to.equal(500)
    expect(app.requests.at(-1)?.json.data.events[0].target[0].alternateId).to.equal('fail@example.com')
    expect(app.requests.at(-1)?.headers.authorization).to.equal(SECRET) // as Okta sends it
    expect(app.requests.at(-1)?.headers['x-okta-hooks-replay-of']).to.equal(id)

    const other = await startApp((_request, response) => response.writeHead(202).end())
    const elsewhere = await replay({body: edited, to: other.url})
    expect(elsewhere.json).to.deep.include({to: other.url, verdict: 'accepted'})
    expect(other.requests).to.have.length(1)
    expect(store.get(elsewhere.json.recorded.id).forward?.url).to.equal(other.url)
    const toListen = await replay({to: receiver.url})
    expect(toListen.json.to).to.equal(receiver.url)

    const notJson = await replay({body: '{"eventType": '})
    expect(notJson.status).to.equal(400)
    expect(notJson.json.error).to.contain('not valid JSON')
    const badUrl = await replay({to: 'ftp://example.com/'})
    expect(badUrl.status).to.equal(400)
    const badBody = await call(inspector, `/api/requests/${id}/replay`, {
      body: '[1]',
      headers: {'X-Okta-Hooks-Token': token},
      method: 'POST',
    })
    expect(badBody.status).to.equal(400)
    const garbage = await call(inspector, `/api/requests/${id}/replay`, {
      body: 'nope',
      headers: {'X-Okta-Hooks-Token': token},
      method: 'POST',
    })
    expect(garbage.status).to.equal(400)
    expect(
      (
        await call(inspector, '/api/requests/zzzzzzzz/replay', {
          body: '{}',
          headers: {'X-Okta-Hooks-Token': token},
          method: 'POST',
        })
      ).status,
    ).to.equal(404)
    const replays = (await call(inspector, '/api/requests')).json.requests.filter((r: any) => r.replayOf === id)
    expect(replays.map((r: any) => r.n)).to.deep.equal([5, 4, 3, 2])
  })

  it('tells open pages when the session changes (the dev hook registered)', async () => {
    const live = await stream(inspector)
    inspector.update({
      hook: {
        events: ['user.lifecycle.create'],
        id: 'who1',
        name: 'okta-hooks dev me@box',
        uri: 'https://ab.ngrok.app/',
      },
    })
    await live.next(1)
    expect(live.events[0]).to.deep.include({event: 'session'})
    expect(live.events[0].data.hook.id).to.equal('who1')
    expect(live.events[0].data.token).to.equal(undefined)
    expect((await call(inspector, '/api/session')).json.hook.name).to.equal('okta-hooks dev me@box')
    live.close()
  })

  it('takes any free port when its default one is taken (exit 2 when the port was asked for)', async () => {
    const busy = http.createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as AddressInfo).port
    const options = {
      replays: new InspectorReplays({endpoint: receiver.url, subscribe: () => () => {}}),
      session: {
        answerVerification: false,
        defaultReplayTarget: receiver.url,
        listenUrl: receiver.url,
        record: store.path,
        version: '0',
      },
      store,
      subscribe: () => () => {},
    }
    try {
      const fallback = await startInspector({...options, port})
      expect(fallback.port).not.to.equal(port)
      await fallback.close()
      const error = await startInspector({...options, exactPort: true, port}).catch((e) => e)
      expect(error).to.be.instanceOf(CliError)
      expect(error.message).to.contain(`Port ${port}`)
      expect(error.suggestions[0]).to.contain('--inspect-port')
    } finally {
      busy.close()
    }
  })
})
