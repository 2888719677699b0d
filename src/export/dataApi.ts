/**
 * TensorBoard's own data API, as its frontend reads it below the board's page: the runs, the scalar tags of each run
 * and the points of one run and tag. Pure: the URLs and the checked shapes of the answers.
 */
import type * as answerSchemas from './answerSchemas';

/** One scalar series: what a chart of TensorBoard's Scalars dashboard draws. */
export interface Series {
  readonly run: string;
  readonly tag: string;
}

export type ScalarValue = number | answerSchemas.NonFinite;

/** `[wall time in seconds, step, value]`, as `data/plugin/scalars/scalars` answers. */
export type ScalarPoint = readonly [wallTime: number, step: number, value: ScalarValue];

let answers: typeof answerSchemas | undefined;
/** The answers' schemas (answerSchemas.ts), required at the first parse. */
const schemas = (): typeof answerSchemas => (answers ??= require('./answerSchemas') as typeof answerSchemas);

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
  const byRun = schemas().tagsAnswer.parse(tags);
  const order = [...new Set([...schemas().runsAnswer.parse(runs), ...Object.keys(byRun)])];
  return order.flatMap((run) => Object.keys(byRun[run] ?? {}).map((tag) => ({ run, tag })));
}

export function scalarPoints(answer: unknown): readonly ScalarPoint[] {
  return schemas().scalarsAnswer.parse(answer);
}
