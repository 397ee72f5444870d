import {expect} from 'chai'

import {
  applyAssignments,
  getPath,
  parseAssignment,
  parsePath,
  parseValue,
  setPath,
} from '../../../../src/lib/delivery/modify.js'
import {CliError} from '../../../../src/lib/errors.js'

function usageMessage(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    expect((error as CliError).exitCode).to.equal(2)
    return (error as Error).message
  }

  throw new Error('expected a usage error')
}

describe('delivery/modify', () => {
  describe('parsePath', () => {
    it('splits keys, indexes and quoted keys', () => {
      expect(parsePath('data.events[0].target[12].alternateId')).to.deep.equal([
        'data',
        'events',
        0,
        'target',
        12,
        'alternateId',
      ])
      expect(parsePath('a["x.y"][\'z w\'].b')).to.deep.equal(['a', 'x.y', 'z w', 'b'])
      expect(parsePath('[0]')).to.deep.equal([0])
      expect(parsePath('debugContext.debugData.changed-attributes')).to.deep.equal([
        'debugContext',
        'debugData',
        'changed-attributes',
      ])
    })

    it('refuses malformed paths and prototype keys with a usage error', () => {
      expect(usageMessage(() => parsePath(''))).to.contain('empty')
      expect(usageMessage(() => parsePath('a..b'))).to.contain('empty key')
      expect(usageMessage(() => parsePath('a.'))).to.contain('ends with "."')
      expect(usageMessage(() => parsePath('a[0'))).to.contain('never closed')
      expect(usageMessage(() => parsePath('a[x]'))).to.contain('neither an index')
      expect(usageMessage(() => parsePath('a[0]b'))).to.contain('unexpected "b"')
      expect(usageMessage(() => parsePath('__proto__.polluted'))).to.contain('cannot be set')
      expect(usageMessage(() => parsePath('a["constructor"]'))).to.contain('cannot be set')
    })
  })

  describe('parseValue and parseAssignment', () => {
    it('parses JSON where it is JSON, else keeps the text', () => {
      expect(parseValue('42')).to.equal(42)
      expect(parseValue('true')).to.equal(true)
      expect(parseValue('null')).to.equal(null)
      expect(parseValue('{"a":[1]}')).to.deep.equal({a: [1]})
      expect(parseValue('"42"')).to.equal('42')
      expect(parseValue('jane@example.com')).to.equal('jane@example.com')
      expect(parseValue('')).to.equal('')
    })

    it('splits on the first "=" only and validates the path', () => {
      expect(parseAssignment('a.b=x=y')).to.deep.equal({path: 'a.b', value: 'x=y'})
      expect(parseAssignment('a[0]=')).to.deep.equal({path: 'a[0]', value: ''})
      expect(usageMessage(() => parseAssignment('novalue'))).to.contain('is not path=value')
      expect(usageMessage(() => parseAssignment('=1'))).to.contain('is not path=value')
    })
  })

  describe('setPath and getPath', () => {
    it('sets a deep value in place inside an Okta envelope', () => {
      const envelope = {data: {events: [{target: [{alternateId: 'old@example.com', id: '00u1'}]}]}, eventId: 'e1'}
      const result = setPath(envelope, 'data.events[0].target[0].alternateId', 'new@example.com')
      expect(result).to.equal(envelope)
      expect(envelope.data.events[0].target[0]).to.deep.equal({alternateId: 'new@example.com', id: '00u1'})
      expect(getPath(envelope, 'data.events[0].target[0].alternateId')).to.equal('new@example.com')
      expect(getPath(envelope, 'data.events[3].target')).to.equal(undefined)
      expect(getPath(envelope, 'eventId.x')).to.equal(undefined)
    })

    it('creates missing objects and arrays, and appends at the array length', () => {
      const doc: any = {list: [1]}
      setPath(doc, 'a.b[0].c', 1)
      setPath(doc, 'list[1]', 2)
      setPath(doc, 'x', null)
      expect(doc).to.deep.equal({a: {b: [{c: 1}]}, list: [1, 2], x: null})
      setPath(doc, 'x.y', 'z')
      expect(doc.x).to.deep.equal({y: 'z'})
    })

    it('names where a path stops fitting the document', () => {
      const doc = {eventType: 'user.lifecycle.create', events: [{}], obj: {}}
      expect(usageMessage(() => setPath(doc, 'eventType.x', 1))).to.equal(
        'Cannot set eventType.x: eventType is a string, not an object or array.',
      )
      expect(usageMessage(() => setPath(doc, 'events[5]', 1))).to.contain(
        'events has 1 item(s); the index may be at most 1',
      )
      expect(usageMessage(() => setPath(doc, 'events.first', 1))).to.contain('events is an array; use an index')
      expect(usageMessage(() => setPath(doc, 'obj[0]', 1))).to.contain('obj is an object, not an array')
      expect(usageMessage(() => setPath('text', 'a', 1))).to.contain('the document is a string')
    })

    it('applyAssignments works on a deep copy', () => {
      const original = {data: {events: [{eventType: 'user.lifecycle.create'}]}}
      const changed = applyAssignments(original, [
        parseAssignment('data.events[0].eventType=user.lifecycle.delete.initiated'),
        parseAssignment('data.events[0].n=3'),
      ])
      expect(changed.data.events[0]).to.deep.equal({eventType: 'user.lifecycle.delete.initiated', n: 3})
      expect(original.data.events[0]).to.deep.equal({eventType: 'user.lifecycle.create'})
    })
  })
})
