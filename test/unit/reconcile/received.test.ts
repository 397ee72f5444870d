import {expect} from 'chai'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {fileReceipts, recordReceipts} from '../../../src/lib/reconcile/received.js'
import {type DeliveryRecord, DeliveryStore} from '../../../src/lib/receiver/delivery-store.js'
import {refusal} from '../../helpers/refusal.js'

const dir = () => mkdtempSync(join(tmpdir(), 'okta-hooks-received-'))

function delivery(status: number, events: unknown[], body?: string): DeliveryRecord {
  return {
    auth: 'none',
    delivery: {events: events.length, eventTypes: []},
    id: `r${Math.random().toString(36).slice(2)}`,
    kind: 'delivery',
    latencyMs: 1,
    receivedAt: '2026-11-20T00:00:00.000Z',
    request: {
      body: body ?? JSON.stringify({data: {events}, eventType: 'com.okta.event_hook'}),
      bodyBytes: 1,
      headers: {},
      method: 'POST',
      path: '/okta',
    },
    response: {body: '', headers: {}, status},
    version: 1,
  }
}

describe('reconcile/received', () => {
  it('a listen record: the events of the deliveries it answered 2xx (Okta counts any other answer as failed)', () => {
    const path = join(dir(), 'deliveries.ndjson')
    const store = new DeliveryStore(path)
    store.append(delivery(204, [{published: '2026-11-20T00:00:01.000Z', uuid: 'a'}, {uuid: 'b'}]))
    store.append(delivery(500, [{uuid: 'failed'}]))
    store.append(delivery(200, [{uuid: 'a'}, {no: 'uuid'}, null]))
    store.append(delivery(200, [], 'not json'))
    store.append({...delivery(200, [{uuid: 'verification'}]), kind: 'verification'})
    const {request, ...noBody} = delivery(200, [{uuid: 'gone'}])
    store.append({...noBody, request: {...request, body: undefined}})
    expect([...recordReceipts(path)].map((r) => r.uuid).sort()).to.deep.equal(['a', 'a', 'b'])
    expect([...recordReceipts(path)].find((r) => r.published)).to.deep.equal({
      published: '2026-11-20T00:00:01.000Z',
      uuid: 'a',
    })
  })

  it('a receipts file: objects with a uuid, envelopes, bare uuids; blank lines and # comments skipped', () => {
    const path = join(dir(), 'receipts.ndjson')
    writeFileSync(
      path,
      [
        '# received by my service',
        '{"uuid": "one", "published": "2026-11-20T00:00:00.000Z", "other": 1}',
        '',
        '  4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41  ',
        JSON.stringify({data: {events: [{uuid: 'two'}, {uuid: 'three'}]}}),
      ].join('\n'),
    )
    expect([...fileReceipts(path)]).to.deep.equal([
      {published: '2026-11-20T00:00:00.000Z', uuid: 'one'},
      {uuid: '4b5a2e5e-3f4c-11ef-9c1e-3b1a0b6b2f41'},
      {uuid: 'two'},
      {uuid: 'three'},
    ])
  })

  it('a line that is no receipt is refused (exit 2) with its number; a missing file before anything is read', () => {
    for (const [line, why] of [
      ['two words', 'line 2 is neither a uuid nor a JSON object'],
      ['{"uuid": ', 'line 2 is not valid JSON'],
      ['{"id": "x"}', 'line 2 has no "uuid"'],
    ]) {
      const path = join(dir(), 'receipts.ndjson')
      writeFileSync(path, `ok-uuid\n${line}\n`)
      const error = refusal(() => [...fileReceipts(path)])
      expect(error.exitCode).to.equal(2)
      expect(error.message).to.contain(`--received ${path}: ${why}`)
    }

    expect(refusal(() => fileReceipts(join(dir(), 'none'))).message).to.contain('no such file')
    const record = refusal(() => recordReceipts(dir()))
    expect(record.message).to.contain('--record')
    expect(record.suggestions.join(' ')).to.contain('listen --record')
  })
})
