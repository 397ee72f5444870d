// okta-hooks inspector: everything shown comes from the JSON API under /api (see the README).
// Plain browser JavaScript, no framework. Request data is only ever put in the page as text
// (textContent), never as HTML: a delivery's body is whatever anyone posted to the hook's URL.
'use strict'

const TOKEN = document.querySelector('meta[name="okta-hooks-token"]').content
const state = {
  checked: new Set(),
  requests: [],
  selected: undefined,
  /** Requests the stream brought since the list was last asked for (kept if the list's answer is older). */
  streamed: [],
  session: undefined,
  source: undefined,
}

// ---- small helpers --------------------------------------------------------------------------

/** An element with attributes (class, data-*, …) and children (nodes or text). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'class') node.className = value
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value)
    else if (name === 'value' || (name in node && typeof value !== 'string')) node[name] = value
    else node.setAttribute(name, value === true ? '' : String(value))
  }

  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue
    node.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }

  return node
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: {
      Accept: 'application/json',
      ...(options.body ? {'Content-Type': 'application/json', 'X-Okta-Hooks-Token': TOKEN} : {}),
      ...options.headers,
    },
  })
  const data = await response.json().catch(() => ({error: `HTTP ${response.status}`}))
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`)
  return data
}

function filterQuery() {
  const params = new URLSearchParams()
  for (const name of ['q', 'eventType', 'kind', 'status', 'verdict']) {
    const value = document.getElementById(name).value.trim()
    if (value) params.set(name, value)
  }

  return params
}

const pad = (number) => String(number).padStart(2, '0')

/** Local time as 21:28:37 (with the date, 2026-12-01 21:28:37). */
function clock(iso, withDate = false) {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time
}

function verdictBadge(verdict) {
  return el('span', {class: `verdict ${verdict ?? 'none'}`}, verdict ?? 'n/a')
}

function statusClass(status) {
  return `s${String(status)[0]}`
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

// ---- the session (header) -------------------------------------------------------------------

function renderSession(session) {
  state.session = session
  const items = [['listening on', session.listenUrl]]
  if (session.forwardTo)
    items.push([
      'forwarding to',
      session.forwardTo + (session.answerVerification ? ' (verification answered here)' : ''),
    ])
  if (session.hook)
    items.push(['dev hook', `${session.hook.name} → ${session.hook.uri}`], ['events', session.hook.events.join(', ')])
  items.push(['record', session.record])
  document
    .getElementById('session')
    .replaceChildren(
      ...items.map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {title: value}, value))),
    )
}

function setLive(stateName, text) {
  const live = document.getElementById('live')
  live.dataset.state = stateName
  live.textContent = text
}

// ---- the list -------------------------------------------------------------------------------

function typesText(types) {
  if (types.length === 0) return ''
  return types.length === 1 ? types[0] : `${types[0]} +${types.length - 1}`
}

function budgetCell(summary) {
  const share = Math.min(summary.latencyMs / summary.budgetMs, 1)
  const fill = el('span', {class: 'fill'})
  fill.style.width = `${Math.max(share * 100, 2)}%`
  const level =
    summary.latencyMs > summary.budgetMs ? 'over' : summary.latencyMs >= (summary.budgetMs * 2) / 3 ? 'slow' : ''
  return el(
    'div',
    {class: `budget ${level}`, title: `${summary.latencyMs} ms of Okta's ${summary.budgetMs / 1000} s`},
    el('span', {class: 'bar'}, fill),
    el('span', {class: 'ms'}, `${summary.latencyMs} ms`),
  )
}

function row(summary, fresh) {
  const check = el('input', {
    'aria-label': `Select request ${summary.n ?? summary.id}`,
    checked: state.checked.has(summary.id),
    onchange(event) {
      if (event.target.checked) state.checked.add(summary.id)
      else state.checked.delete(summary.id)
      renderBulk()
    },
    onclick: (event) => event.stopPropagation(),
    type: 'checkbox',
  })
  const kind = el('span', {class: `kind ${summary.kind}`}, summary.kind)
  const tr = el(
    'tr',
    {
      class: [summary.id === state.selected ? 'selected' : '', fresh ? 'fresh' : ''].join(' ').trim(),
      'data-id': summary.id,
      onclick: () => select(summary.id),
    },
    el('td', {class: 'c-check'}, check),
    el('td', {class: 'c-n'}, summary.n ?? ''),
    el('td', {class: 'c-time', title: summary.receivedAt}, clock(summary.receivedAt)),
    el(
      'td',
      {class: 'c-kind'},
      kind,
      summary.replayOf ? el('span', {class: 'tag', title: `replay of ${summary.replayOf}`}, '↻') : null,
    ),
    el(
      'td',
      {class: 'c-types', title: summary.eventTypes.join(', ')},
      typesText(summary.eventTypes) || el('span', {class: 'muted'}, `${summary.method} ${summary.path}`),
    ),
    el('td', {class: `c-status ${statusClass(summary.status)}`, title: summary.problem ?? ''}, summary.status),
    el('td', {class: 'c-latency'}, budgetCell(summary)),
    el('td', {class: 'c-verdict', title: summary.verdictDetail}, verdictBadge(summary.verdict)),
  )
  return tr
}

function renderList(freshId) {
  const tbody = document.querySelector('#requests tbody')
  tbody.replaceChildren(...state.requests.map((summary) => row(summary, summary.id === freshId)))
  const empty = document.getElementById('empty')
  empty.hidden = state.requests.length > 0
  if (state.requests.length === 0) {
    empty.replaceChildren(
      filterQuery().size > 0
        ? 'Nothing matches these filters.'
        : el(
            'span',
            {},
            'Nothing received yet. Send something to ',
            el('code', {}, state.session?.listenUrl ?? 'listen'),
            ', or run ',
            el('code', {}, 'okta-hooks sandbox emit'),
            '.',
          ),
    )
  }

  renderBulk()
}

function renderBulk() {
  const shown = state.requests.length
  document.getElementById('count').textContent =
    `${shown} request${shown === 1 ? '' : 's'}${state.checked.size > 0 ? `, ${state.checked.size} selected` : ''}`
  const button = document.getElementById('replay-checked')
  button.disabled = state.checked.size === 0
  button.textContent = state.checked.size > 0 ? `Replay selected (${state.checked.size})` : 'Replay selected'
  const all = document.getElementById('check-all')
  all.checked = shown > 0 && state.requests.every((summary) => state.checked.has(summary.id))
  all.indeterminate = state.checked.size > 0 && !all.checked
}

function fillEventTypes(types) {
  const select = document.getElementById('eventType')
  const current = select.value
  const known = new Set([...select.options].map((option) => option.value))
  for (const type of types) if (!known.has(type)) select.append(el('option', {value: type}, type))
  select.value = current
}

async function loadList() {
  const params = filterQuery()
  params.set('limit', '500')
  const data = await api(`/api/requests?${params}`)
  const listed = new Set(data.requests.map((summary) => summary.id))
  state.requests = [...state.streamed.filter((summary) => !listed.has(summary.id)).reverse(), ...data.requests]
  fillEventTypes(data.eventTypes)
  renderList()
}

function openStream() {
  state.source?.close()
  const source = new EventSource(`/api/stream?${filterQuery()}`)
  state.source = source
  source.addEventListener('open', () => setLive('live', 'live'))
  source.addEventListener('error', () => setLive('down', 'listen stopped? reconnecting…'))
  source.addEventListener('session', (event) => renderSession(JSON.parse(event.data)))
  source.addEventListener('request', (event) => {
    const summary = JSON.parse(event.data)
    if (state.requests.some((known) => known.id === summary.id)) return
    state.streamed.push(summary)
    state.requests.unshift(summary)
    fillEventTypes(summary.eventTypes)
    renderList(summary.id)
  })
}

/** The stream first, then the list: nothing that arrives meanwhile is missed. */
async function refilter() {
  state.streamed = []
  openStream()
  await loadList()
}

// ---- one request ----------------------------------------------------------------------------

function card(title, body, extraClass = '') {
  return el('section', {class: `card ${extraClass}`.trim()}, el('h3', {}, title), el('div', {class: 'body'}, body))
}

function headerTable(headers) {
  const rows = Object.entries(headers).map(([name, value]) =>
    el('tr', {}, el('td', {}, name), el('td', {class: /\*\*\*\*/.test(value) ? 'masked' : ''}, value)),
  )
  return rows.length > 0
    ? el('table', {class: 'headers'}, el('tbody', {}, rows))
    : el('p', {class: 'muted'}, '(no headers)')
}

function eventsCard(detail) {
  const items = detail.events.map((event) =>
    el(
      'li',
      {title: event.line},
      el(
        'div',
        {class: 'what'},
        event.eventType ?? '(no eventType)',
        event.outcome ? el('span', {class: 'muted'}, `  ${event.outcome}`) : null,
      ),
      el(
        'div',
        {class: 'who'},
        el('span', {class: 'muted'}, 'by '),
        event.actorText,
        el('span', {class: 'muted'}, '  →  '),
        event.targetText,
      ),
      el('div', {class: 'when'}, `${event.published ?? '(no time)'}  uuid ${event.uuid ?? '?'}`),
    ),
  )
  return card(`Events (${detail.events.length})`, el('ul', {class: 'events'}, items))
}

function answerCard(record, summary) {
  const {response} = record
  const forward = record.forward
  const lines = [
    el(
      'p',
      {class: 'result-line'},
      verdictBadge(summary.verdict),
      el('strong', {class: statusClass(response.status)}, response.status),
      ` in ${record.latencyMs} ms`,
    ),
  ]
  if (forward) {
    const what = forward.error
      ? `no answer (${forward.error})`
      : `${forward.status} in ${forward.latencyMs} ms${forward.withinBudget ? '' : ", over Okta's 3 s"}`
    lines.push(el('p', {class: 'result-line muted'}, `Relayed to ${forward.url}: ${what}`))
  }

  lines.push(headerTable(response.headers))
  if (response.body) lines.push(el('pre', {class: 'json'}, prettyJson(response.body)))
  return card('Answer', lines)
}

function replayTarget() {
  return state.session?.defaultReplayTarget ?? ''
}

function resultCard(result) {
  const answer =
    result.response.status === undefined
      ? `no answer (${result.response.error})`
      : `${result.response.status} in ${result.response.latencyMs} ms`
  const body = [
    el('p', {class: 'result-line'}, verdictBadge(result.verdict), `${answer} from ${result.to}`),
    el('p', {class: 'muted result-line'}, result.verdictDetail),
  ]
  if (result.recorded) {
    body.push(
      el(
        'button',
        {class: 'link', onclick: () => select(result.recorded.id), type: 'button'},
        `Show it in the list: #${result.recorded.n ?? result.recorded.id}`,
      ),
    )
  }

  return card('Replay', body, `result ${result.verdict ?? ''}`)
}

async function sendReplay(id, changes, where) {
  where.replaceChildren(el('p', {class: 'muted'}, 'Sending…'))
  try {
    const result = await api(`/api/requests/${encodeURIComponent(id)}/replay`, {
      body: JSON.stringify(changes),
      method: 'POST',
    })
    where.replaceChildren(resultCard(result))
    return result
  } catch (error) {
    where.replaceChildren(card('Replay', el('p', {class: 'error'}, String(error.message)), 'problem'))
    return undefined
  }
}

function editor(detail, where) {
  const {record} = detail
  const to = el('input', {id: 'replay-to', spellcheck: false, type: 'url', value: replayTarget()})
  const isGet = record.request.method === 'GET'
  const text = el('textarea', {
    'aria-label': 'Body to send',
    disabled: isGet,
    id: 'replay-body',
    spellcheck: false,
    value: isGet ? '(a GET has no body)' : prettyJson(record.request.body ?? ''),
  })
  const error = el('span', {class: 'error', role: 'alert'})
  const send = el(
    'button',
    {
      class: 'primary',
      id: 'replay-send',
      async onclick() {
        error.textContent = ''
        if (!isGet) {
          try {
            JSON.parse(text.value)
          } catch (parseError) {
            error.textContent = `Not valid JSON: ${parseError.message}`
            return
          }
        }

        send.disabled = true
        await sendReplay(record.id, {...(isGet ? {} : {body: text.value}), to: to.value}, where)
        send.disabled = false
      },
      type: 'button',
    },
    'Send',
  )
  return card(
    'Replay with modifications',
    el(
      'div',
      {class: 'editor'},
      el('label', {for: 'replay-to'}, 'Send to'),
      to,
      el('label', {for: 'replay-body'}, 'Body (JSON)'),
      text,
      el('div', {class: 'row'}, send, error),
    ),
  )
}

/** "#2" for a request in the list, else its id. */
function replayName(id) {
  const known = state.requests.find((summary) => summary.id === id)
  return known?.n === undefined ? id : `#${known.n}`
}

function renderDetail(detail) {
  const {record, summary} = detail
  const pane = document.getElementById('detail')
  const results = el('div', {id: 'replay-result'})
  const editorSlot = el('div')
  const title = el(
    'h2',
    {},
    `${summary.n === undefined ? '' : `#${summary.n} `}${record.request.method} ${record.request.path}`,
    el(
      'span',
      {class: 'muted'},
      ` · ${record.kind}${summary.events === undefined ? '' : ` · ${summary.events} event${summary.events === 1 ? '' : 's'}`}`,
    ),
  )
  const sub = `${clock(record.receivedAt, true)} · auth ${record.auth}${record.request.remoteAddress ? ` · from ${record.request.remoteAddress}` : ''}${summary.replayOf ? ` · replay of ${replayName(summary.replayOf)}` : ''} · id ${record.id}`
  const canReplay = record.request.body !== undefined || record.request.method === 'GET'
  const parts = [
    el('div', {class: 'detail-head'}, title, verdictBadge(summary.verdict)),
    el('p', {class: 'detail-sub'}, sub),
    el(
      'p',
      {class: `verdict-line ${summary.verdict ?? 'none'}`},
      el('strong', {}, `Okta: ${summary.verdict ?? 'n/a'}`),
      ` — ${summary.verdictDetail}`,
    ),
    el(
      'div',
      {class: 'actions'},
      el(
        'button',
        {disabled: !canReplay, id: 'replay', onclick: () => sendReplay(record.id, {}, results), type: 'button'},
        'Replay',
      ),
      el(
        'button',
        {
          disabled: !canReplay,
          id: 'replay-modified',
          onclick: () => editorSlot.replaceChildren(editor(detail, results)),
          type: 'button',
        },
        'Replay with modifications',
      ),
    ),
    editorSlot,
    results,
    record.problem ? card('Problem', `${record.problem.code}: ${record.problem.message}`, 'problem') : null,
    detail.events.length > 0 ? eventsCard(detail) : null,
    answerCard(record, summary),
    card('Request headers', headerTable(record.request.headers)),
    card(
      record.kind === 'delivery' ? 'Envelope' : 'Body',
      el(
        'pre',
        {class: 'json'},
        record.request.body === undefined
          ? `(body of ${record.request.bodyBytes} bytes not kept)`
          : record.request.body === ''
            ? '(empty)'
            : prettyJson(record.request.body),
      ),
    ),
  ]
  pane.replaceChildren(...parts.filter(Boolean))
  pane.scrollTop = 0
}

async function select(id) {
  state.selected = id
  for (const tr of document.querySelectorAll('#requests tbody tr'))
    tr.classList.toggle('selected', tr.dataset.id === id)
  try {
    renderDetail(await api(`/api/requests/${encodeURIComponent(id)}`))
  } catch (error) {
    document.getElementById('detail').replaceChildren(el('p', {class: 'placeholder'}, String(error.message)))
  }
}

async function replayChecked() {
  const chosen = state.requests.filter((summary) => state.checked.has(summary.id)).reverse() // oldest first, as received
  const status = document.getElementById('bulk-result')
  const counts = {accepted: 0, failed: 0, rejected: 0}
  for (const [index, summary] of chosen.entries()) {
    status.textContent = `Replaying ${index + 1} of ${chosen.length}…`
    try {
      const result = await api(`/api/requests/${encodeURIComponent(summary.id)}/replay`, {body: '{}', method: 'POST'})
      if (result.verdict) counts[result.verdict]++
    } catch {
      counts.failed++
    }
  }

  state.checked.clear()
  renderList()
  status.textContent = `Replayed ${chosen.length}: ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.failed} failed`
}

// ---- start ----------------------------------------------------------------------------------

async function start() {
  renderSession(await api('/api/session'))
  let typing
  document.getElementById('q').addEventListener('input', () => {
    clearTimeout(typing)
    typing = setTimeout(refilter, 250)
  })
  for (const name of ['eventType', 'kind', 'status', 'verdict'])
    document.getElementById(name).addEventListener('change', refilter)
  document.getElementById('filters').addEventListener('submit', (event) => event.preventDefault())
  document.getElementById('replay-checked').addEventListener('click', replayChecked)
  document.getElementById('check-all').addEventListener('change', (event) => {
    for (const summary of state.requests) {
      if (event.target.checked) state.checked.add(summary.id)
      else state.checked.delete(summary.id)
    }

    renderList()
  })
  await refilter()
}

start().catch((error) => setLive('down', `could not load: ${error.message}`))
