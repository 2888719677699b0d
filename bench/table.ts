/** One line of the benchmark's table: what was measured in this run, against its target. */
export interface Row {
  readonly figure: string;
  readonly measured: string;
  readonly target: string;
  /** undefined: the figure could not be measured in this run (the reason is in `measured`); null: it has no target. */
  readonly ok: boolean | undefined | null;
}

export function printTable(rows: readonly Row[]): void {
  const header = { figure: 'figure', measured: 'measured (this run)', target: 'target', result: 'result' };
  const lines = rows.map((row) => ({
    ...row,
    result: row.ok === undefined ? 'ERROR' : row.ok === null ? '—' : row.ok ? 'ok' : 'MISSED',
  }));
  const width = (key: keyof typeof header) => Math.max(header[key].length, ...lines.map((line) => line[key].length));
  const widths = {
    figure: width('figure'),
    measured: width('measured'),
    target: width('target'),
    result: width('result'),
  };
  const format = (line: typeof header) =>
    `| ${line.figure.padEnd(widths.figure)} | ${line.measured.padEnd(widths.measured)} | ${line.target.padEnd(widths.target)} | ${line.result.padEnd(widths.result)} |`;
  const rule = `|${'-'.repeat(widths.figure + 2)}|${'-'.repeat(widths.measured + 2)}|${'-'.repeat(widths.target + 2)}|${'-'.repeat(widths.result + 2)}|`;
  console.log([format(header), rule, ...lines.map(format)].join('\n'));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

export function kib(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} B (${(bytes / KiB).toFixed(1)} KiB)`;
}

export function ms(value: number): string {
  return value >= 10 ? `${Math.round(value).toLocaleString('en-US')} ms` : `${value.toFixed(1)} ms`;
}

/** `median (min–max, n=…)` */
export function spread(values: readonly number[], format: (value: number) => string = ms): string {
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))}, n=${values.length})`;
}
