import type { BoardSession } from './boardSession';
import { runsUrl, scalarPoints, scalarsUrl, scalarTagsUrl, seriesOf, type Series } from './dataApi';
import { ScalarsText, type ExportFormat } from './scalarsFile';

/** Every scalar series the board has. */
export async function listSeries(session: BoardSession): Promise<Series[]> {
  const [runs, tags] = await Promise.all([
    session.json(runsUrl(session.base)),
    session.json(scalarTagsUrl(session.base)),
  ]);
  return seriesOf(runs, tags);
}

/** Where the file goes, a chunk at a time: `write` resolves once the chunk may be followed by the next. */
export interface TextSink {
  write(chunk: string): Promise<void>;
}

export interface ExportProgress {
  /** Called before each series is read: its index counts from 0. */
  readonly onSeries?: (series: Series, index: number, total: number) => void;
  readonly isCancelled?: () => boolean;
}

/**
 * Reads the chosen series one at a time and writes each before reading the next, so memory holds one series at
 * most. Resolves to the number of rows written; stops (resolving undefined) when cancelled between two series.
 */
export async function writeScalars(
  session: BoardSession,
  series: readonly Series[],
  format: ExportFormat,
  sink: TextSink,
  progress: ExportProgress = {},
): Promise<number | undefined> {
  const text = new ScalarsText(format);
  await sink.write(text.start());
  for (const [index, one] of series.entries()) {
    if (progress.isCancelled?.()) return undefined;
    progress.onSeries?.(one, index, series.length);
    const points = scalarPoints(await session.json(scalarsUrl(session.base, one)));
    await sink.write(text.series(one, points));
  }
  await sink.write(text.end());
  return text.count;
}
