import { readFileSync } from 'node:fs';
import { summaryLine, type Tally } from './protocol';

type Step = { name: string; run: () => unknown };

/**
 * Runs a suite with an overall timeout and ends everything it started, in reverse order, whatever happens: success,
 * failure, timeout, an exception, SIGINT/SIGTERM/SIGHUP. Process groups registered with `killOnExit` are killed
 * synchronously even if the runner dies on the way.
 */
export class Run {
  private readonly steps: Step[] = [];
  private static readonly groups = new Set<number>();

  /** Set before the teardown starts, so that a deferred step can keep logs of a failed run. */
  failed = false;

  constructor(readonly name: string) {}

  /** Something to undo when the run ends; undone last-in first-out. */
  defer(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  /** A process group to SIGKILL if the runner exits before its own teardown ended it. */
  static killOnExit(pgid: number): () => void {
    Run.groups.add(pgid);
    return () => Run.groups.delete(pgid);
  }

  /**
   * Runs `body`, which updates `tally` as tests finish, and returns the exit code after printing the closing line.
   * A body that rejects, a timeout or a signal counts one more failure.
   */
  async execute(timeoutMs: number, tally: Tally, body: () => Promise<void>): Promise<number> {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    let interrupted: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let onSignal: (signal: NodeJS.Signals) => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      // Kept through teardown, so that a second Ctrl-C does not cut the teardown short.
      onSignal = (signal) => {
        interrupted ??= `interrupted by ${signal}`;
        resolve();
      };
      for (const signal of signals) process.on(signal, onSignal);
      timer = setTimeout(() => {
        interrupted ??= `timed out after ${Math.round(timeoutMs / 1000)} s`;
        resolve();
      }, timeoutMs);
    });
    let error: unknown;
    try {
      await Promise.race([body(), stopped]);
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(timer);
    }
    if (interrupted !== undefined) console.error(`[${this.name}] ${interrupted}`);
    if (error !== undefined)
      console.error(`[${this.name}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (interrupted !== undefined || error !== undefined) tally.failed += 1;
    this.failed = tally.failed > 0 || tally.passed === 0;
    await this.teardown();
    for (const signal of signals) process.removeListener(signal, onSignal);
    console.log(summaryLine(tally));
    if (interrupted?.startsWith('interrupted')) return 130;
    return this.failed ? 1 : 0;
  }

  /**
   * For a long-lived run (`npm start`): resolves on Ctrl-C (or SIGTERM/SIGHUP), or when the process that started it
   * is gone, once everything is ended. A signal sent to npm alone (a process manager, an editor's task) ends npm
   * without passing it on: this process is then handed to another parent, and stops too rather than leave its
   * emulator and code-server running.
   */
  async serveUntilStopped(parentCheckMs = 1_000): Promise<void> {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    // npm runs a script through `sh -c`, which outlives npm: the line of parents is watched, as far as /proc tells.
    const ancestors = parentLine();
    let watch: NodeJS.Timeout | undefined;
    const reason = await new Promise<string>((resolve) => {
      for (const name of signals) process.once(name, () => resolve(name));
      watch = setInterval(() => {
        const now = parentLine();
        const gone = ancestors.find((pid, i) => now[i] !== pid);
        if (gone !== undefined) resolve(`the process that started it (pid ${gone}) is gone`);
      }, parentCheckMs);
    });
    clearInterval(watch);
    console.log(`[${this.name}] ${reason}: stopping everything it started`);
    await this.teardown();
  }

  /** Ends everything deferred so far, last first. */
  async teardown(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await Promise.race([step.run(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      } catch (e) {
        console.error(`[${this.name}] teardown of ${step.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  static {
    process.on('exit', () => {
      for (const pgid of Run.groups) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
}

/**
 * This process's parent and grandparent (the grandparent on Linux only, from /proc). Further up are the user's shell
 * and terminal, which outlive a run by design.
 */
function parentLine(): number[] {
  const parent = process.ppid;
  try {
    // /proc/<pid>/stat: "pid (command) state ppid …"; the command may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${parent}/stat`, 'utf8');
    return [parent, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])];
  } catch {
    return [parent];
  }
}
