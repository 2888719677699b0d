// @alicloud/pop-core 1.8.0 ships types for RPCClient only; this describes the part of lib/roa.js that src/api uses.
declare module '@alicloud/pop-core/lib/roa' {
  import type { Agent } from 'node:http';

  namespace ROAClient {
    interface Credentials {
      accessKeyId: string;
      accessKeySecret: string;
      securityToken?: string;
    }

    interface Config {
      /** `http(s)://host[:port]`, without a trailing slash (pop-core appends the path as is). */
      endpoint: string;
      apiVersion: string;
      /** Called before every request (pop-core ≥ 1.8), so rotating STS tokens work. */
      credentialsProvider: { getCredentials(): Promise<Credentials> };
      opts?: RequestOpts;
    }

    /** Passed through to httpx.request; per-call opts win over the client's. */
    interface RequestOpts {
      /** httpx arms this as the socket's idle timeout, not only the connect phase. Milliseconds, default 3000. */
      connectTimeout?: number;
      /** From socket connect until the body has been read. Milliseconds, default 3000. */
      readTimeout?: number;
      agent?: Agent;
    }

    type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
  }

  class ROAClient {
    constructor(config: ROAClient.Config);
    /**
     * Resolves with the parsed body (json-bigint: null-prototype objects, BigNumber for large integers) when the
     * response is JSON below 400, and with the raw text for any non-JSON response whatever its status. Rejects for
     * JSON ≥ 400 with `{ statusCode, code, result }`, for unparseable JSON with `name: 'FormatError'`, and with
     * httpx's errors for timeouts and sockets.
     */
    request(
      method: ROAClient.Method,
      uriPattern: string,
      query?: Record<string, string>,
      body?: string,
      headers?: Record<string, string>,
      opts?: ROAClient.RequestOpts,
    ): Promise<unknown>;
  }

  export = ROAClient;
}
