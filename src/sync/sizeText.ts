/**
 * A byte count as people read it: `0 B`, `512 B`, `1.5 KB`, `12.3 MB`, `1.02 GB` (binary multiples, as file managers
 * on most systems show them). Pure, so the view, the status bar and the tests agree.
 */
export function sizeText(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // Three significant figures at most, never "1024.0 KB": 9.99, 99.9, 999.
  const rounded =
    value >= 100 ? Math.round(value) : value >= 10 ? Math.round(value * 10) / 10 : Math.round(value * 100) / 100;
  if (rounded >= 1024 && unit < units.length - 1) return `1 ${units[unit + 1]}`;
  return `${rounded} ${units[unit]}`;
}
