import type { OssFault, OssRecordedRequest } from './server';

/** A typed client of the emulated OSS's `/__emulator/oss/*` routes (on the PAI-DLC port), for tests in another process. */
export class OssControl {
  private readonly base: string;

  constructor(paiEndpoint: string) {
    this.base = `${paiEndpoint.replace(/\/+$/, '')}/__emulator/oss`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as unknown;
    if (!response.ok) {
      const message = (json as { error?: string } | null)?.error ?? `HTTP ${response.status}`;
      throw new Error(`emulator OSS control ${method} ${path} failed: ${message}`);
    }
    return json as T;
  }

  /** Where OSS listens (`http://127.0.0.1:PORT`) and the region of its default bucket. */
  endpoint(): Promise<{ endpoint: string; regionId: string }> {
    return this.call('GET', 'endpoint');
  }

  requests(): Promise<OssRecordedRequest[]> {
    return this.call('GET', 'requests');
  }

  async clearRequests(): Promise<void> {
    await this.call('DELETE', 'requests');
  }

  /** Billed requests so far, by OSS's two classes. */
  billed(): Promise<{ put: number; get: number }> {
    return this.call('GET', 'billed');
  }

  async injectFault(fault: OssFault): Promise<void> {
    await this.call('POST', 'faults', fault);
  }

  faults(): Promise<OssFault[]> {
    return this.call('GET', 'faults');
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', 'faults');
  }

  /** Forgets requests, faults, uploads in progress and object records; the files stay. */
  async reset(): Promise<void> {
    await this.call('POST', 'reset');
  }
}
