/** Polls `condition` every 50 ms until it holds, within a bound: for effects of other processes, never a fixed sleep. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
