import {expect} from 'chai'

import {
  compileFilter,
  describeFilterProblem,
  evaluateFilter,
  FilterExpressionError,
  validateFilter,
} from '../../../../src/lib/filters/index.js'
import {
  appEvent,
  CREATE_WITH_FILTER_SAMPLE,
  groupMembershipAdd,
  LIST_LOGS_EVENT,
  logEvent,
  SECURITY_CONTEXT_EVENT,
  TEST_USER,
} from './events.js'

interface Row {
  expression: string
  /** Events the filter lets through. */
  matches: Record<string, unknown>[]
  /** Events it holds back. */
  misses: Record<string, unknown>[]
  name: string
}

const sales = groupMembershipAdd({displayName: 'Sales'})
const support = groupMembershipAdd({displayName: 'Support', id: '00gsupport0000000000'})
const marketing = groupMembershipAdd({displayName: 'Marketing', id: '00gmarketing00000000'})
const admins = groupMembershipAdd({displayName: 'Admin', id: '00gadmin000000000000'})
const otherUser = {...TEST_USER, alternateId: 'other@example.com', id: '00uother0000000000x'}
const failedSignIn = logEvent({actor: {alternateId: 'myAdmin@company.com'}, outcome: {result: 'FAILURE'}})
const adminSignIn = logEvent({actor: {alternateId: 'myAdmin@company.com'}})
// The help page shows no payload for factor events; the reason text here is ours, around its value.
const securityQuestion = logEvent({eventType: 'user.mfa.factor.activate', outcome: {reason: 'SECURITY_QUESTION'}})
const smsFactor = logEvent({eventType: 'user.mfa.factor.activate', outcome: {reason: 'SMS_FACTOR'}})
const profile = (changed: string) => logEvent({changedAttributes: changed, eventType: 'user.account.update_profile'})

// Okta help, "Okta Expression Language and event hooks"
// https://help.okta.com/oie/en-us/Content/Topics/automation-hooks/event-hooks-el.htm
// (okta/okta-help, en-us/Content/Topics/automation-hooks/event-hooks-el.htm), each expression verbatim.
const HELP_PAGE: Row[] = [
  {
    expression: "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size()> 0",
    matches: [sales],
    misses: [support, LIST_LOGS_EVENT],
    name: 'Define group conditions: the Sales group',
  },
  {
    expression:
      "event.target.?[type eq 'UserGroup'  && displayName eq 'Sales'].size()> 0 || " +
      "event.target.?[type eq 'UserGroup'  && displayName eq 'Marketing'].size()> 0",
    matches: [sales, marketing],
    misses: [support],
    name: 'Sample expressions: specific group names',
  },
  {
    expression:
      "event.target.?[type eq 'UserGroup'  && id eq '00gsnc3qy7Uy6JZfy0h7'].size()> 0 || " +
      "event.target.?[type eq 'UserGroup'  && id eq '032gs2nc3qy7Uy6JZfasd3'].size()> 0",
    matches: [sales, groupMembershipAdd({displayName: 'X', id: '032gs2nc3qy7Uy6JZfasd3'})],
    misses: [support],
    name: 'Sample expressions: specific group IDs',
  },
  {
    expression:
      "event.target.?[type eq 'User' && id eq '00usnkgbd0FFDxYaj0h7'].size()>0 && " +
      "event.target.?[type eq 'UserGroup'  && displayName eq 'Admin'].size()> 0",
    matches: [admins],
    misses: [groupMembershipAdd({displayName: 'Admin'}, otherUser), sales],
    name: 'Sample expressions: a specific user added to a specific group',
  },
  {
    expression: "event.target.?[type eq 'AppInstance' && alternateId eq 'My COMPANY Bookmark App'].size()> 0",
    matches: [appEvent({alternateId: 'My COMPANY Bookmark App'})],
    // The page's own payload reads "MY COMPANY Bookmark App": equality is case-sensitive (SpEL), so it does not match.
    misses: [appEvent({})],
    name: 'Define application conditions: the Bookmark app',
  },
  {
    expression:
      "event.target.?[type eq 'AppInstance'  && alternateId eq 'My Company Bookmark App'].size()> 0 || " +
      "event.target.?[type eq 'AppInstance'  && alternateId eq 'My OIDC App'].size()> 0",
    matches: [appEvent({alternateId: 'My OIDC App'}), appEvent({alternateId: 'My Company Bookmark App'})],
    misses: [appEvent({alternateId: 'Other App'})],
    name: 'Sample expressions: specific application names',
  },
  {
    expression:
      "event.target.?[type eq 'AppInstance'  && id eq '00gsnc3qy7Uy6JZfy0h7'].size()> 0 || " +
      "event.target.?[type eq 'AppInstance'  && id eq '032gs2nc3qy7Uy6JZfasd3'].size()> 0",
    matches: [appEvent({id: '032gs2nc3qy7Uy6JZfasd3'})],
    misses: [appEvent({}), sales],
    name: 'Sample expressions: specific application IDs',
  },
  {
    expression: "event.debugData.changedAttributes.contains('email')",
    matches: [profile('email'), profile('email,manager')],
    misses: [profile('firstName'), profile('secondEmail')],
    name: 'Define user profile conditions: email changed',
  },
  {
    expression:
      "event.debugData.changedAttributes.contains('email') || " +
      "event.debugData.changedAttributes.contains('manager') || " +
      "event.debugData.changedAttributes.contains('department')",
    matches: [profile('department'), profile('manager')],
    misses: [profile('title')],
    name: 'Sample expressions: specific profile attributes updated',
  },
  {
    expression: "event.outcome.result eq'SUCCESS' ",
    matches: [LIST_LOGS_EVENT, SECURITY_CONTEXT_EVENT],
    misses: [failedSignIn],
    name: 'Define sign-in conditions: success (written without a space before the quote)',
  },
  {
    expression: "event.outcome.result eq 'FAILURE'",
    matches: [failedSignIn],
    misses: [LIST_LOGS_EVENT],
    name: 'Sample expressions: a failed sign-in',
  },
  {
    expression: "event.actor.alternateId eq 'myAdmin@company.com'",
    matches: [adminSignIn],
    misses: [LIST_LOGS_EVENT],
    name: "Sample expressions: a specific user's email address",
  },
  {
    expression: "event.actor.id eq '00usnkgbd0FFDxYaj0h7'",
    matches: [logEvent({actor: {id: '00usnkgbd0FFDxYaj0h7'}})],
    misses: [LIST_LOGS_EVENT],
    name: 'Sample expressions: a specific user ID',
  },
  {
    // The page prints it over two lines.
    expression: "event.actor.alternateId eq 'myAdmin@company.com' &&\nevent.outcome.result eq 'FAILURE'",
    matches: [failedSignIn],
    misses: [adminSignIn, logEvent({outcome: {result: 'FAILURE'}})],
    name: 'Sample expressions: failed sign-in attempts of a specific user',
  },
  {
    expression: "event.outcome.reason.contains( 'SECURITY_QUESTION') ",
    matches: [securityQuestion],
    misses: [smsFactor],
    name: 'Define MFA factor conditions: security question',
  },
  {
    expression: "event.outcome.reason.contains('SECURITY_QUESTION')",
    matches: [securityQuestion],
    misses: [smsFactor, LIST_LOGS_EVENT],
    name: 'Sample expressions: a specific MFA factor set up',
  },
]

// Okta developer guide "Event hook filtering", https://developer.okta.com/docs/guides/event-hook-filtering/main/,
// and the Management API example "Create an event hook with a filter" (data/samples/CreateAnEventHookWithFilter.json).
const GUIDE: Row[] = [
  {
    expression: CREATE_WITH_FILTER_SAMPLE.events.filter.eventFilterMap[0].condition.expression,
    matches: [sales],
    misses: [support, LIST_LOGS_EVENT],
    name: 'users added to the Sales group (Simple UI target.type eq UserGroup + target.displayName eq Sales)',
  },
]

// Okta help (beta), "About the Okta Expression Language" for event hooks,
// https://help.okta.com/en/betas/Content/Topics/betas/open/event-hooks/about-eventhooks-el.htm: one version lists
// == and != as the equality operators. Okta Expression Language reference, "Conditional expressions"
// (https://developer.okta.com/docs/reference/okta-expression-language/): ! for NOT, AND, OR, < > <= >=.
const OPERATOR_DOCS: Row[] = [
  {expression: "event.outcome.result == 'SUCCESS'", matches: [LIST_LOGS_EVENT], misses: [failedSignIn], name: '=='},
  {expression: "event.outcome.result != 'SUCCESS'", matches: [failedSignIn], misses: [LIST_LOGS_EVENT], name: '!='},
  {expression: "!(event.outcome.result eq 'SUCCESS')", matches: [failedSignIn], misses: [LIST_LOGS_EVENT], name: '!'},
  {
    expression: "event.outcome.result eq 'FAILURE' AND event.actor.alternateId eq 'myAdmin@company.com'",
    matches: [failedSignIn],
    misses: [adminSignIn],
    name: 'AND',
  },
  {
    expression: "event.outcome.result eq 'FAILURE' OR event.eventType eq 'user.mfa.factor.activate'",
    matches: [smsFactor],
    misses: [LIST_LOGS_EVENT],
    name: 'OR',
  },
  {
    expression: "event.target.?[type eq 'AppInstance'].size() >= 1",
    matches: [LIST_LOGS_EVENT],
    misses: [sales],
    name: '>=',
  },
  {
    expression: "event.target.?[type eq 'AppInstance'].size() < 1",
    matches: [sales],
    misses: [LIST_LOGS_EVENT],
    name: '<',
  },
  {
    expression: "event.target.?[type eq 'AppInstance'].size() <= 0",
    matches: [sales],
    misses: [LIST_LOGS_EVENT],
    name: '<=',
  },
  {
    expression: "event.target.?[type eq 'UserGroup'].size() eq 1",
    matches: [sales],
    misses: [LIST_LOGS_EVENT],
    name: 'eq on size()',
  },
]

// Okta's real System Log samples (data/samples/ListLogs.json, ListLogsWithAdditionalSecurityContext.json).
const REAL_EVENTS: Row[] = [
  {
    expression: "event.eventType eq 'user.session.start'",
    matches: [LIST_LOGS_EVENT, SECURITY_CONTEXT_EVENT],
    misses: [sales],
    name: 'event type',
  },
  {
    expression: "event.actor.alternateId eq 'john.doe@example.com'",
    matches: [LIST_LOGS_EVENT],
    misses: [adminSignIn],
    name: 'actor',
  },
  {
    expression: "event.target.?[type eq 'AppInstance' && displayName eq 'Okta Admin Console'].size() > 0",
    matches: [LIST_LOGS_EVENT, SECURITY_CONTEXT_EVENT],
    misses: [sales],
    name: 'the Admin Console among two targets',
  },
  {
    expression: "event.actor.type eq 'User' && event.outcome.reason eq null",
    matches: [LIST_LOGS_EVENT],
    misses: [smsFactor],
    name: 'null reason',
  },
]

describe('lib/filters/filter-expression', () => {
  const tables = {
    'documented operators': OPERATOR_DOCS,
    'event hook filtering guide': GUIDE,
    'help page': HELP_PAGE,
    'real LogEvents': REAL_EVENTS,
  }
  for (const [source, rows] of Object.entries(tables)) {
    describe(source, () => {
      for (const row of rows) {
        it(row.name, () => {
          const validation = validateFilter(row.expression)
          expect(validation.ok, validation.ok ? '' : describeFilterProblem(validation.problem)).to.equal(true)
          for (const event of row.matches)
            expect(evaluateFilter(row.expression, event).matched, 'should match').to.equal(true)
          for (const event of row.misses)
            expect(evaluateFilter(row.expression, event).matched, 'should not match').to.equal(false)
        })
      }
    })
  }

  it("refuses the help page's user-and-app sample, which never closes its (", () => {
    // Okta help "Okta Expression Language and event hooks", Sample expressions for application conditions, verbatim.
    const expression =
      "event.target.?[type eq 'User' && id eq '00usnkgbd0FFDxYaj0h7'].size()>0 && " +
      "(event.target.?[type eq 'AppInstance'  && alternateId eq 'My Admin App'].size()> 0"
    const validation = validateFilter(expression)
    expect(validation).to.deep.include({ok: false})
    if (validation.ok) return
    expect(validation.problem).to.include({code: 'syntax', column: 76, message: 'unclosed (', offset: 75})
    expect(describeFilterProblem(validation.problem)).to.equal('unclosed ( at column 76 (close it with ))')
  })

  it('compiles once and evaluates many events with the same result as a string', () => {
    const filter = compileFilter("event.target.?[displayName eq 'Sales'].size() > 0")
    expect(filter.source).to.equal("event.target.?[displayName eq 'Sales'].size() > 0")
    expect([sales, support].map((event) => evaluateFilter(filter, event).matched)).to.deep.equal([true, false])
    expect(evaluateFilter(filter, sales)).to.deep.equal(evaluateFilter(filter.source, sales))
  })

  it('throws FilterExpressionError for an invalid string and validate returns the same problem', () => {
    const error = (() => {
      try {
        evaluateFilter('event.actr.id eq 1', sales)
      } catch (error_) {
        return error_
      }
    })()
    expect(error).to.be.instanceOf(FilterExpressionError)
    const validation = validateFilter('event.actr.id eq 1')
    expect(validation.ok).to.equal(false)
    if (!validation.ok) expect((error as FilterExpressionError).problem).to.deep.equal(validation.problem)
  })

  it('refuses a non-string expression cleanly', () => {
    const validation = validateFilter(undefined as unknown as string)
    expect(validation).to.deep.include({ok: false})
    if (!validation.ok)
      expect(validation.problem).to.include({code: 'syntax', message: 'the expression must be a string, not undefined'})
  })

  describe('any input', () => {
    // A seeded generator, so a failure reproduces.
    function random(seed: number): () => number {
      let state = seed
      return () => {
        state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
        return state / 2_147_483_648
      }
    }

    const FRAGMENTS = [
      'event',
      '.',
      'target',
      '.?[',
      ']',
      'type',
      'eq',
      'ne',
      "'Sales'",
      '"x"',
      '&&',
      '||',
      '!',
      '(',
      ')',
      'size()',
      '.contains(',
      '>',
      '<=',
      '0',
      '1.5',
      'null',
      'true',
      'outcome.result',
      'actor.id',
      'debugData.changedAttributes',
      ' ',
      ',',
      '?',
      ':',
      '#',
      '\u00A0',
      "'",
      '"',
      '$[',
      '^[',
      '==',
      '=',
      '+',
      'AND',
      'gt',
      '\n',
      '\u2018',
      '\u0000',
      '\uD800',
      '{',
      '}',
      '@',
      '[',
      'displayName',
    ]
    const DOCUMENTED = [...HELP_PAGE, ...GUIDE, ...OPERATOR_DOCS].map((row) => row.expression)
    const EVENTS = [LIST_LOGS_EVENT, sales, profile('email'), {}, null]

    function check(expression: string): void {
      let filter
      try {
        filter = compileFilter(expression)
      } catch (error) {
        expect(error, JSON.stringify(expression)).to.be.instanceOf(FilterExpressionError)
        const {problem} = error as FilterExpressionError
        expect(problem.offset).to.be.within(0, expression.length)
        expect(problem.column).to.be.at.least(1)
        return
      }

      for (const event of EVENTS) expect(evaluateFilter(filter, event).matched).to.be.a('boolean')
    }

    it('throws nothing but FilterExpressionError for 3,000 random token soups', () => {
      const next = random(7)
      for (let i = 0; i < 3000; i++) {
        const length = Math.floor(next() * 12)
        check(Array.from({length}, () => FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]).join(''))
      }
    })

    it("throws nothing but FilterExpressionError for 3,000 mutations of Okta's documented expressions", () => {
      const next = random(11)
      for (let i = 0; i < 3000; i++) {
        const base = DOCUMENTED[i % DOCUMENTED.length]
        const at = Math.floor(next() * base.length)
        const cut = Math.floor(next() * 4)
        const insert = next() < 0.5 ? '' : FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]
        check(base.slice(0, at) + insert + base.slice(at + cut))
      }
    })

    it('throws nothing but FilterExpressionError for random characters', () => {
      const next = random(13)
      for (let i = 0; i < 2000; i++) {
        check(
          Array.from({length: Math.floor(next() * 20)}, () => String.fromCharCode(Math.floor(next() * 0x3000))).join(
            '',
          ),
        )
      }
    })
  })
})
