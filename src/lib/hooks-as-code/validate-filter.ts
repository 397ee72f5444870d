/**
 * The one place the hooks file asks whether a filter expression is valid. Today it makes the basic
 * checks `create --filter` makes (a non-empty expression) plus balanced quotes and brackets; a full
 * Okta Expression Language validator (src/lib/filters/, built on another branch) plugs in here.
 */

/** Why the expression is refused, or undefined when it is accepted. */
export function filterRefusal(expression: string): string | undefined {
  if (expression.trim() === '') return 'the filter expression is empty'
  return unbalanced(expression)
}

const CLOSERS: Record<string, string> = {'(': ')', '[': ']', '{': '}'}

/** Okta Expression Language strings are in single or double quotes; brackets outside them must pair up. */
function unbalanced(expression: string): string | undefined {
  const open: string[] = []
  let quote: string | undefined
  for (const char of expression) {
    if (quote) {
      if (char === quote) quote = undefined
    } else if (char === "'" || char === '"') quote = char
    else if (CLOSERS[char]) open.push(CLOSERS[char])
    else if (Object.values(CLOSERS).includes(char) && open.pop() !== char)
      return `"${char}" has no matching opening bracket in the filter expression`
  }

  if (quote) return `the string opened with ${quote} in the filter expression is not closed`
  if (open.length > 0) return `"${open.at(-1)}" is missing at the end of the filter expression`
  return undefined
}
