import * as vscode from 'vscode';
import type { DurationUnits } from './time';

/** core/time's duration words in the display language; built per call, as vscode.l10n is read at call time. */
export function durationUnits(): DurationUnits {
  return {
    underOneMinute: vscode.l10n.t('<1 min'),
    minutes: (m) => vscode.l10n.t('{0} min', m),
    hours: (h) => vscode.l10n.t('{0} h', h),
    hoursMinutes: (h, m) => vscode.l10n.t('{0} h {1} min', h, m),
    days: (d) => vscode.l10n.t('{0} d', d),
  };
}
