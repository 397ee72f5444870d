// Placeholder until the slim SDK bundle lands: the SDK is loaded from node_modules.
