// Entry of dist/help-colour.js (scripts/build.mjs): whether oclif's help would be in colour here.
// oclif colours help through colorize(), which needs supports-color to allow colour on both stdout
// and stderr, and ansis to allow it: the same two packages, at the versions oclif itself uses.
import ansis from 'ansis'
import supportsColor from 'supports-color'

export const helpInColour = Boolean(supportsColor.stdout) && Boolean(supportsColor.stderr) && ansis.isSupported()
