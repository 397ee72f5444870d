import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  type CatalogSource,
  compactCatalog,
  expandCatalog,
  loadCatalog,
  readCatalog,
} from '../../../../src/lib/catalog/event-types.js'
import {dataPath} from '../../../../src/lib/data-path.js'

const source = (): CatalogSource => JSON.parse(readFileSync(dataPath('event-types.json'), 'utf8'))

describe('lib/catalog/event-types (the catalog and its compact copy)', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'okta-hooks-catalog-'))
  })

  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('the compact form expands to data/event-types.json exactly: every type, its keys in the same order', () => {
    const raw = source()
    const expanded = expandCatalog(JSON.parse(JSON.stringify(compactCatalog(raw))))
    expect(JSON.stringify(expanded.eventTypes)).to.equal(JSON.stringify(raw.eventTypes))
    expect(expanded.source).to.equal(raw.source)
  })

  it('keeps each category, release and tag once, and flags beta and eligibility per type', () => {
    const compact = compactCatalog({
      eventTypes: [
        {beta: true, category: 'c', eventHookEligible: false, id: 'a.b', release: 'r1', tags: ['a']},
        {
          beta: false,
          category: 'c',
          eventHookEligible: true,
          id: 'a.c',
          release: 'r2',
          tags: ['a', 'event-hook-eligible'],
        },
      ],
      source: 'test catalog',
    })
    expect(compact).to.deep.equal({
      categories: ['c'],
      releases: ['r1', 'r2'],
      rows: '\na.b\t0\t0\t2\t0\na.c\t0\t1\t1\t0,1\n',
      source: 'test catalog',
      tags: ['a', 'event-hook-eligible'],
    })
  })

  it('reads the compact copy when given one, with the same lookups as the source', () => {
    const file = join(dir, 'event-types.json')
    writeFileSync(file, JSON.stringify(compactCatalog(source())))
    const compact = readCatalog(file)
    const full = readCatalog()
    expect(compact.types).to.deep.equal(full.types)
    expect(compact.byId.get('user.lifecycle.create')).to.deep.equal(full.byId.get('user.lifecycle.create'))
    expect(compact.byId.get('user.lifecycle.create')).to.equal(
      compact.types.find((t) => t.id === 'user.lifecycle.create'),
    )
    expect(compact.byId.has('event_hook.verified')).to.equal(true)
    expect(compact.byId.get('event_hook.verified')?.eventHookEligible).to.equal(false)
    expect(compact.byId.has('no.such.type')).to.equal(false)
    expect(compact.byId.get('no.such.type')).to.equal(undefined)
    expect(compact.source).to.equal(full.source)
    expect(loadCatalog().types).to.deep.equal(full.types)
  })

  it('finds only whole ids in the compact copy: not a prefix, not text spanning rows, a type without tags too', () => {
    const file = join(dir, 'event-types.json')
    const types = [
      {beta: false, category: 'c', eventHookEligible: true, id: 'user.lifecycle.create', release: 'r', tags: []},
      {beta: false, category: 'c', eventHookEligible: false, id: 'user.lifecycle', release: 'r', tags: ['t']},
    ]
    writeFileSync(file, JSON.stringify(compactCatalog({eventTypes: types, source: 's'})))
    const compact = readCatalog(file)
    expect(compact.byId.get('user.lifecycle.create')).to.deep.equal(types[0])
    expect(compact.byId.get('user.lifecycle')).to.deep.equal(types[1])
    for (const id of ['user', 'lifecycle.create', 'user.lifecycle.creat', 'create\tc', 'create\nuser.lifecycle', ''])
      expect(compact.byId.has(id), id).to.equal(false)
    expect(compact.types).to.deep.equal(types)
    expect(compact.types[0]).to.equal(compact.byId.get('user.lifecycle.create'))
  })

  it('refuses to write an id the rows could not hold; reads an empty catalog, and one of the earlier form from the source', () => {
    const bad = {beta: false, category: 'c', eventHookEligible: true, id: 'a\tb', release: 'r', tags: []}
    expect(() => compactCatalog({eventTypes: [bad], source: 's'})).to.throw(/tab, newline or comma/)
    const empty = join(dir, 'empty.json')
    writeFileSync(empty, JSON.stringify(compactCatalog({eventTypes: [], source: 's'})))
    expect(readCatalog(empty).types, 'an empty catalog').to.deep.equal([])
    expect(expandCatalog(compactCatalog({eventTypes: [], source: 's'})).eventTypes).to.deep.equal([])
    const earlier = join(dir, 'earlier.json')
    writeFileSync(
      earlier,
      JSON.stringify({categories: [], releases: [], source: 's', tags: [], types: [['a', 0, 0, 1]]}),
    )
    expect(readCatalog(earlier).types).to.deep.equal(readCatalog().types)
  })

  it('falls back to data/event-types.json when the compact copy is missing or broken', () => {
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"types": [')
    const full = readCatalog()
    expect(readCatalog(join(dir, 'missing.json')).types).to.deep.equal(full.types)
    expect(readCatalog(broken).types).to.deep.equal(full.types)
    expect(full.types).to.have.length(source().eventTypes.length)
  })
})
