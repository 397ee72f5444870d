import {BaseCommand} from '../cli/base-command.js'
import {hooksFileSchema} from '../lib/hooks-as-code/schema.js'

export default class Schema extends BaseCommand<typeof Schema> {
  static override description = [
    `Print the JSON Schema of the hooks file that \`export\` writes and \`plan\`/\`apply\` read.`,
    'Editors use it to complete and check the file: save it (okta-hooks schema > hooks-file.schema.json) and ' +
      `point the file at it, e.g. with the first line \`# yaml-language-server: $schema=./hooks-file.schema.json\`. ` +
      'The same schema ships in the package as schemas/hooks-file.schema.json.',
  ].join('\n')

  static override examples = ['<%= config.bin %> <%= command.id %> > hooks-file.schema.json']

  async run(): Promise<Record<string, unknown>> {
    const schema = hooksFileSchema()
    this.log(JSON.stringify(schema, null, 2))
    return schema
  }
}
