/**
 * The export's file: one CSV (run, tag, step, wall time, value) or one JSON array of the same rows, written series
 * by series, so that a board of any size passes through a bounded buffer. Pure.
 */
import type { ScalarPoint, Series } from './dataApi';

export type ExportFormat = 'csv' | 'json';

/** The format a file name asks for: JSON for `.json`, else CSV. */
export function formatOf(fileName: string): ExportFormat {
  return /\.json$/i.test(fileName) ? 'json' : 'csv';
}

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A name (run, tag) as a CSV field that a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be run as a formula (OWASP's CSV injection), so it gets a leading `'`, then RFC 4180 quoting.
 */
export function csvName(text: string): string {
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

const CSV_HEADER = 'run,tag,step,wall_time,value\r\n';

/** Turns series into the file's text, chunk by chunk: `start()`, `series()` for each, `end()`. */
export class ScalarsText {
  private rows = 0;

  constructor(readonly format: ExportFormat) {}

  start(): string {
    return this.format === 'csv' ? CSV_HEADER : '[';
  }

  /** The rows of one series. */
  series({ run, tag }: Series, points: readonly ScalarPoint[]): string {
    if (this.format === 'csv') {
      const prefix = `${csvName(run)},${csvName(tag)},`;
      this.rows += points.length;
      return points.map(([wallTime, step, value]) => `${prefix}${step},${wallTime},${value}\r\n`).join('');
    }
    return points
      .map(([wallTime, step, value]) => {
        const row = JSON.stringify({ run, tag, step, wallTime, value });
        return `${this.rows++ === 0 ? '\n' : ',\n'}${row}`;
      })
      .join('');
  }

  end(): string {
    return this.format === 'csv' ? '' : this.rows === 0 ? ']\n' : '\n]\n';
  }

  /** How many rows were written so far. */
  get count(): number {
    return this.rows;
  }
}
