import type {
  BoardStatusName,
  EmulatorState,
  Fault,
  IssuedCredentials,
  JobEndName,
  OidcToken,
  OidcTokenRequest,
  PageSwitches,
  RecordedRequest,
  StsCredentials,
  Timings,
} from './types';

/** A typed client of the emulator's `/__emulator/*` routes, for tests running in another process. */
export class EmulatorControl {
  private readonly base: string;

  constructor(endpoint: string) {
    this.base = endpoint.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as unknown;
    if (!response.ok) {
      const message = (json as { error?: string } | null)?.error ?? `HTTP ${response.status}`;
      throw new Error(`emulator control ${method} ${path} failed: ${message}`);
    }
    return json as T;
  }

  requests(): Promise<RecordedRequest[]> {
    return this.call('GET', 'requests');
  }

  async clearRequests(): Promise<void> {
    await this.call('DELETE', 'requests');
  }

  async injectFault(fault: Fault): Promise<void> {
    await this.call('POST', 'faults', fault);
  }

  faults(): Promise<Fault[]> {
    return this.call('GET', 'faults');
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', 'faults');
  }

  /** Back to the seed; a seed object replaces the current one. */
  async reset(seed?: unknown): Promise<void> {
    await this.call('POST', 'reset', seed === undefined ? {} : { seed });
  }

  /** Framing limits, the share cookie, the login for TensorboardUrl, a page that is down: from the next board page on. */
  setPageSwitches(switches: Partial<PageSwitches>): Promise<PageSwitches> {
    return this.call('POST', 'pages', switches);
  }

  setTimings(timings: Partial<Timings>): Promise<Timings> {
    return this.call('POST', 'timings', timings);
  }

  /** Moves the emulator's clock forward (works with the CLI's clock and with a ManualClock). */
  advanceClock(ms: number): Promise<{ now: number }> {
    return this.call('POST', 'clock', { advanceMs: ms });
  }

  /** Sets the emulator's clock, e.g. back to real time after a test moved it. */
  setClock(nowMs: number): Promise<{ now: number }> {
    return this.call('POST', 'clock', { nowMs });
  }

  async setBoardStatus(
    tensorboardId: string,
    status: BoardStatusName,
    reason?: { code: string; message: string },
  ): Promise<void> {
    await this.call('POST', `boards/${encodeURIComponent(tensorboardId)}/status`, {
      Status: status,
      ReasonCode: reason?.code,
      ReasonMessage: reason?.message,
    });
  }

  /** Ends a running job now (on the emulator's clock), as its own run would. */
  async endJob(jobId: string, status: JobEndName = 'Succeeded'): Promise<void> {
    await this.call('POST', `jobs/${encodeURIComponent(jobId)}/end`, { Status: status });
  }

  issueStsCredentials(ttlMs?: number): Promise<StsCredentials> {
    return this.call('POST', 'sts', ttlMs === undefined ? {} : { ttlMs });
  }

  /** An OIDC token for AssumeRoleWithOIDC, signed as the seeded provider's issuer would (or expired, or mis-addressed). */
  issueOidcToken(request: OidcTokenRequest = {}): Promise<OidcToken> {
    return this.call('POST', 'oidc-token', request);
  }

  /** Every AccessKey secret and STS token the emulator has known, for tests that search for leaks. */
  secrets(): Promise<string[]> {
    return this.call('GET', 'secrets');
  }

  /** Every temporary credential the emulator handed out (control API, STS, metadata, credentials URI), with its secrets. */
  issuedCredentials(): Promise<IssuedCredentials[]> {
    return this.call('GET', 'credentials');
  }

  state(): Promise<EmulatorState> {
    return this.call('GET', 'state');
  }
}
