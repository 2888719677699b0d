/**
 * What a board's Status means to the user. The service publishes no enum for it: the docs show `Running` and
 * `running`, pai-python-sdk adds `Pending`, `Creating_Failed`, `Deleting`, `Deleted`, `Stopping`. So compare
 * case-insensitively and keep unknown values visible rather than failing.
 */
export type BoardPhase = 'running' | 'pending' | 'stopped' | 'failed' | 'deleted' | 'unknown';

const phases: Record<string, BoardPhase> = {
  running: 'running',
  creating: 'pending',
  pending: 'pending',
  starting: 'pending',
  stopping: 'pending',
  deleting: 'pending',
  updating: 'pending',
  stopped: 'stopped',
  succeeded: 'stopped',
  failed: 'failed',
  creating_failed: 'failed',
  deleted: 'deleted',
};

export function boardPhase(status: string | undefined): BoardPhase {
  return phases[(status ?? '').trim().toLowerCase()] ?? 'unknown';
}

/** Whether a board in this phase will change by itself, so it is worth polling. */
export function isTransient(phase: BoardPhase): boolean {
  return phase === 'pending';
}

/** The tree item's contextValue; package.json's menus match on it (`viewItem =~ /^board\.running/`). */
export function boardContextValue(phase: BoardPhase): string {
  return `board.${phase}`;
}

export interface PhaseIcon {
  /** A codicon id, `~spin` included where it spins. */
  readonly id: string;
  /** A theme colour id, or undefined for the default foreground. */
  readonly color?: string;
}

const icons: Record<BoardPhase, PhaseIcon> = {
  running: { id: 'pass-filled', color: 'testing.iconPassed' },
  pending: { id: 'loading~spin' },
  stopped: { id: 'circle-slash', color: 'disabledForeground' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  deleted: { id: 'trash', color: 'disabledForeground' },
  unknown: { id: 'question' },
};

export function phaseIcon(phase: BoardPhase): PhaseIcon {
  return icons[phase];
}

/** What a board is called wherever it is named: its display name, else its ID. */
export function boardName(board: { readonly displayName?: string; readonly tensorboardId: string }): string {
  return board.displayName || board.tensorboardId;
}
