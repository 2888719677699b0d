import { runsUrl, scalarPoints, scalarsUrl, scalarTagsUrl, seriesOf, type Series } from './dataApi';
import { ScalarsText, type ExportFormat } from './scalarsFile';

/** What the export reads a board through: a `BoardSession`, or a fake of its data API in tests. */
export interface BoardReader {
  /** The board's page, ending in `/`. */
  readonly base: string;
  json(url: URL, signal?: AbortSignal): Promise<unknown>;
}

/** Every scalar series the board has. */
export async function listSeries(session: BoardReader, signal?: AbortSignal): Promise<Series[]> {
  const [runs, tags] = await Promise.all([
    session.json(runsUrl(session.base), signal),
    session.json(scalarTagsUrl(session.base), signal),
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
  /** The user's cancel: it aborts the request in flight, and the export stops there. */
  readonly signal?: AbortSignal;
}

/**
 * Reads the chosen series one at a time and writes each before reading the next, so memory holds one series at
 * most. Resolves to the number of rows written; resolves undefined when cancelled, at once, even mid-request.
 */
export async function writeScalars(
  session: BoardReader,
  series: readonly Series[],
  format: ExportFormat,
  sink: TextSink,
  progress: ExportProgress = {},
): Promise<number | undefined> {
  const { signal } = progress;
  const text = new ScalarsText(format);
  try {
    await sink.write(text.start());
    for (const [index, one] of series.entries()) {
      if (signal?.aborted) return undefined;
      progress.onSeries?.(one, index, series.length);
      const points = scalarPoints(await session.json(scalarsUrl(session.base, one), signal));
      if (signal?.aborted) return undefined;
      await sink.write(text.series(one, points));
    }
    await sink.write(text.end());
  } catch (error) {
    if (signal?.aborted) return undefined;
    throw error;
  }
  return text.count;
}
