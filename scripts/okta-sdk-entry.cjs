// Entry of the slim SDK bundle (scripts/bundle-sdk.mjs): only what src/lib/okta/okta-sdk.ts uses.
module.exports = {
  Client: require('@okta/okta-sdk-nodejs/src/client'),
  RequestExecutor: require('@okta/okta-sdk-nodejs/src/request-executor'),
}
