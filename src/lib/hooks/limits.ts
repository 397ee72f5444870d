/**
 * Okta's limits on event hooks (OKTA-FACTS sections 1 and 6: "a maximum of 25 active and verified
 * event hooks … with a limit of 300 eligible event types per hook"). The one place they are
 * written: create/update, the hooks file, the dev loop and the sandbox all check against these.
 */
export const OKTA_LIMITS = {
  /** Active and verified event hooks per org. */
  activeVerifiedHooks: 25,
  /** Event types per hook. */
  eventTypesPerHook: 300,
} as const
