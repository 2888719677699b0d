import type * as schemas from './schemas';

let loaded: typeof schemas | undefined;

/**
 * The zod schemas of schemas.ts, built at their first use instead of when dist/app.js loads, where building them
 * was about a third of the bundle's top-level work. esbuild initialises a module of the bundle that is only
 * `require`d at its first `require`, so src/ imports nothing but types from schemas.ts (eslint.config.mjs).
 */
export function wireSchemas(): typeof schemas {
  return (loaded ??= require('./schemas') as typeof schemas);
}
