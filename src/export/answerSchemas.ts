/**
 * The shapes of TensorBoard's data API answers (dataApi.ts), in a module of their own so that they, and zod, are
 * built at the first export rather than when dist/app.js loads: dataApi.ts requires this module at its first parse.
 */
import * as z from 'zod/mini';

/** TensorBoard writes NaN and the infinities as these strings (its JSON cannot hold them). */
const nonFinite = z.enum(['NaN', 'Infinity', '-Infinity']);

export type NonFinite = z.infer<typeof nonFinite>;

export const runsAnswer = z.array(z.string());
/** Run → tag → its description (which the export does not need). */
export const tagsAnswer = z.record(z.string(), z.record(z.string(), z.unknown()));
export const scalarsAnswer = z.array(z.tuple([z.number(), z.number(), z.union([z.number(), nonFinite])]));
