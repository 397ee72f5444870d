/**
 * Event hook filters: the Okta Expression Language subset that `events.filter.eventFilterMap[]
 * .condition.expression` accepts, checked offline and evaluated against System Log LogEvents.
 * Pure: no I/O, no oclif. Sources: Okta's help page "Okta Expression Language and event hooks"
 * (help.okta.com/oie/en-us/Content/Topics/automation-hooks/event-hooks-el.htm), the guide "Event
 * hook filtering" (developer.okta.com/docs/guides/event-hook-filtering/main/), the Event Hooks API
 * examples (data/samples/CreateAnEventHookWithFilter.json) and Okta's Expression Language
 * references (developer.okta.com/docs/reference/okta-expression-language[-in-identity-engine]/).
 *
 * ## Using it
 * - create/update --filter: `validateFilter(expr)` → `{ok: true, filter}` or `{ok: false, problem}`;
 *   `describeFilterProblem(problem)` gives "unknown field event.actr.id at column 7 (did you mean
 *   event.actor.id? filterable: …)" for the flag layer to prefix with "--filter EVENT_TYPE: ",
 *   `pointAtProblem(expr, problem)` a caret line. `problem.code` names the refusal class;
 *   `oktaMayAccept(problem)` says whether Okta itself may accept what the engine refuses (SpEL
 *   operators, functions and coercions Okta's filter docs never use): callers warn rather than fail
 *   there, or offer an escape hatch (create/update --no-filter-check).
 * - `filter test`: `evaluateFilter(filter, event)` → `{matched, reason, explanation, failure?}`;
 *   `reason` is one line ("event.outcome.result is 'FAILURE', expected 'SUCCESS'"),
 *   `explanation` the tree of what decided it (per target for selections), `explanationLines()`
 *   renders it; all of it is plain data for --json.
 * - replay and sandbox routing: `compileHookFilters(hook.events.filter?.eventFilterMap)` once per
 *   hook, then `applyHookFilters(filters, event)` per event → `passes` true/false, or null for an
 *   event type whose filter this engine refuses (Okta accepted it; the caller decides and says so).
 * - `compileFilter` throws only FilterExpressionError; evaluation never throws for any event.
 *
 * ## Grammar (SpEL-shaped; keywords and word operators are case-insensitive, as in SpEL)
 *   filter     := or                                  must be Boolean
 *   or         := and  { ("||" | "or")  and }
 *   and        := cmp  { ("&&" | "and") cmp }
 *   cmp        := unary [ cmpop unary ]               not chained: a eq b eq c is refused
 *   cmpop      := "eq" | "==" | "ne" | "!=" | "<" | "<=" | ">" | ">="
 *   unary      := "!" unary | postfix
 *   postfix    := field | field ".contains(" value ")" | "event.target.?[" tfilter "].size()"
 *               | literal | literal ".contains(" value ")" | "(" or ")"
 *   field      := event.eventType | event.outcome.result | event.outcome.reason
 *               | event.actor.(id|type|alternateId|displayName) | event.debugData.changedAttributes
 *   tfilter    := like `or`, over the target fields id | type | alternateId | displayName
 *   literal    := 'text' | "text" (quote doubled inside: 'O''Brien') | 12 | 3.5 | true | false | null
 * Types: fields and strings are strings, size() a number; eq/ne compare equal types or null;
 * < <= > >= compare numbers; && || ! take Booleans; contains takes and searches a string.
 *
 * ## Semantics (and where this module had to decide; the report lists each with its source)
 * - `event.debugData.X` reads the LogEvent's `debugContext.debugData.X` (the help page's sample).
 * - String equality and contains() are case-sensitive (SpEL; the IE reference: 'This is a
 *   test'.contains('Test') is False). contains on a string is a substring search, so
 *   changedAttributes 'email,manager' contains 'email'; on a list it is element equality.
 * - A missing field is null: eq 'x' is false, ne 'x' true, eq null true. A missing event.target is
 *   an empty list. Decided: calling contains() on null fails the whole expression (SpEL throws);
 *   the event counts as not matched and `failure` says why. && and || short-circuit like SpEL,
 *   so `event.outcome.reason ne null && event.outcome.reason.contains('X')` never fails.
 * - Refused with a cause: fields outside Okta's list (unknown-field, unfilterable-field), every
 *   function but size() and contains() (unsupported-function), SpEL operators Okta's docs never
 *   use for filters: gt ge lt le not matches between, arithmetic, ?:, ?., indexing, .^[ .$[ .![
 *   projections, #variables (unsupported-operator), type mismatches (type), a non-Boolean
 *   result (not-boolean), nesting deeper than MAX_NESTING (too-deep), and syntax errors.
 */
export {
  applyHookFilters,
  compileHookFilters,
  type HookFilterDecision,
  type HookFilterProblem,
  type HookFilters,
} from './hook-filters.js'
export {
  compileFilter,
  evaluateFilter,
  type FilterExpression,
  type FilterValidation,
  validateFilter,
} from './filter-expression.js'
export {type Explanation, explanationLines, type FilterEvaluation} from './evaluator.js'
export {EVENT_FIELDS, FILTERABLE_FIELDS, TARGET_FIELDS} from './fields.js'
export {MAX_NESTING} from './parser.js'
export {
  describeFilterProblem,
  FilterExpressionError,
  type FilterProblem,
  type FilterProblemCode,
  oktaMayAccept,
  pointAtProblem,
} from './problem.js'
