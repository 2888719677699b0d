/**
 * TensorBoard's own data API, as its frontend reads it below the board's page: the runs, the scalar tags of each run
 * and the points of one run and tag. Pure: the URLs and the checked shapes of the answers.
 */
import * as z from 'zod/mini';

/** One scalar series: what a chart of TensorBoard's Scalars dashboard draws. */
export interface Series {
  readonly run: string;
  readonly tag: string;
}

/** TensorBoard writes NaN and the infinities as these strings (its JSON cannot hold them). */
const nonFinite = z.enum(['NaN', 'Infinity', '-Infinity']);

export type ScalarValue = number | z.infer<typeof nonFinite>;

/** `[wall time in seconds, step, value]`, as `data/plugin/scalars/scalars` answers. */
export type ScalarPoint = readonly [wallTime: number, step: number, value: ScalarValue];

const runsAnswer = z.array(z.string());
/** Run → tag → its description (which the export does not need). */
const tagsAnswer = z.record(z.string(), z.record(z.string(), z.unknown()));
const scalarsAnswer = z.array(z.tuple([z.number(), z.number(), z.union([z.number(), nonFinite])]));

/** `base` is the board's page as reached (ending in `/`): TensorBoard's paths are relative to it. */
export function runsUrl(base: string): URL {
  return new URL('data/runs', base);
}

export function scalarTagsUrl(base: string): URL {
  return new URL('data/plugin/scalars/tags', base);
}

export function scalarsUrl(base: string, series: Series): URL {
  const url = new URL('data/plugin/scalars/scalars', base);
  url.searchParams.set('run', series.run);
  url.searchParams.set('tag', series.tag);
  return url;
}

/** Every scalar series of the board, in the order of its runs (`data/runs`), then of each run's tags. */
export function seriesOf(runs: unknown, tags: unknown): Series[] {
  const byRun = tagsAnswer.parse(tags);
  const order = [...new Set([...runsAnswer.parse(runs), ...Object.keys(byRun)])];
  return order.flatMap((run) => Object.keys(byRun[run] ?? {}).map((tag) => ({ run, tag })));
}

export function scalarPoints(answer: unknown): readonly ScalarPoint[] {
  return scalarsAnswer.parse(answer);
}
