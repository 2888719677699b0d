import { BoardSession } from './boardSession';
import { runsUrl, scalarPoints, scalarsUrl, scalarTagsUrl, seriesOf } from './dataApi';

/**
 * The newest step a running board's TensorBoard serves, read from its data API through its shared link as the export
 * reads it: of each run's first scalar tag, the last point. For the lag line of a board over a synced folder.
 */
export async function newestBoardStep(link: string, signal = AbortSignal.timeout(10_000)): Promise<number | undefined> {
  const session = await BoardSession.open(link, { signal });
  const [runs, tags] = await Promise.all([
    session.json(runsUrl(session.base)),
    session.json(scalarTagsUrl(session.base)),
  ]);
  const firstOfRun = new Map<string, { run: string; tag: string }>();
  for (const series of seriesOf(runs, tags)) if (!firstOfRun.has(series.run)) firstOfRun.set(series.run, series);
  let newest: number | undefined;
  for (const series of firstOfRun.values()) {
    const step = scalarPoints(await session.json(scalarsUrl(session.base, series))).at(-1)?.[1];
    if (step !== undefined && (newest === undefined || step > newest)) newest = step;
  }
  return newest;
}
