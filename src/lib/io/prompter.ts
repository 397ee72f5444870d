/**
 * Every interactive question okta-hooks asks goes through here: inquirer is loaded only when a
 * question is really asked, prompts render on stderr (stdout stays clean for pipes), and tests
 * replace these methods.
 */
export interface Choice<T> {
  description?: string
  name: string
  value: T
}

const context = () => ({output: process.stderr})

export const prompter = {
  async checkbox<T>(message: string, choices: Choice<T>[]): Promise<T[]> {
    const {checkbox} = await import('@inquirer/prompts')
    return checkbox({choices, message, pageSize: 15}, context())
  },
  async confirm(message: string, defaultValue = false): Promise<boolean> {
    const {confirm} = await import('@inquirer/prompts')
    return confirm({default: defaultValue, message}, context())
  },
  async input(
    message: string,
    options: {default?: string; validate?: (value: string) => string | true} = {},
  ): Promise<string> {
    const {input} = await import('@inquirer/prompts')
    return input({default: options.default, message, validate: options.validate}, context())
  },
  /** Hidden input: nothing echoed, nothing in shell history. */
  async password(message: string): Promise<string> {
    const {password} = await import('@inquirer/prompts')
    return password({mask: '*', message, validate: (v: string) => (v ? true : 'A value is required')}, context())
  },
  async search<T>(message: string, source: (term: string | undefined) => Choice<T>[]): Promise<T> {
    const {search} = await import('@inquirer/prompts')
    return search({message, pageSize: 12, source: async (term: string | undefined) => source(term)}, context())
  },
  async select<T>(message: string, choices: Choice<T>[]): Promise<T> {
    const {select} = await import('@inquirer/prompts')
    return select({choices, message}, context())
  },
}
