import { ApiError } from './errors';
import type { Fault, OperationName } from './types';

/** What any armed fault names: the operation and the ID it applies to (each optional), and how many times. */
export interface ArmedFault {
  readonly operation?: string;
  readonly id?: string;
  readonly times?: number;
}

/** Faults armed by tests (the PAI-DLC side's and OSS's), each good for its next `times` matching requests. */
export class FaultQueue<F extends ArmedFault = Fault> {
  private readonly armed: Array<{ fault: F; remaining: number }> = [];

  inject(fault: F): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault.times must be a positive integer, got ${times}`);
    this.armed.push({ fault, remaining: times });
  }

  clear(): void {
    this.armed.length = 0;
  }

  pending(): F[] {
    return this.armed.map(({ fault, remaining }) => ({ ...fault, times: remaining }));
  }

  /** The first armed fault for this operation (and the ID in its path), used up by one. */
  take(operation: string, id?: string): F | undefined {
    const index = this.armed.findIndex(
      ({ fault }) =>
        (fault.operation === undefined || fault.operation === operation) && (fault.id === undefined || fault.id === id),
    );
    if (index < 0) return undefined;
    const entry = this.armed[index];
    entry.remaining -= 1;
    if (entry.remaining === 0) this.armed.splice(index, 1);
    return entry.fault;
  }
}

/** The JSON error a fault answers with, for the kinds that are plain gateway errors. */
export function faultError(fault: Fault): ApiError | undefined {
  switch (fault.kind) {
    case 'throttling':
      return new ApiError(
        400,
        'Throttling.User',
        'Request was denied due to user flow control.',
        fault.retryAfterSeconds === undefined ? {} : { 'x-acs-retry-after': String(fault.retryAfterSeconds) },
      );
    case 'internalError':
      return new ApiError(
        500,
        'InternalError',
        'The request processing has failed due to some unknown error, exception or failure.',
      );
    case 'serviceUnavailable':
      return new ApiError(
        503,
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
      );
    default:
      return undefined;
  }
}

/** What a load balancer in front of the gateway answers when the backend is gone (Tengine is Alibaba's nginx). */
export const badGatewayHtml =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

/** The field a `missingField` fault removes when the fault names none: the one a client cannot do without. */
export const keyFieldOf: Record<OperationName, string> = {
  CreateTensorboard: 'TensorboardId',
  GetTensorboard: 'TensorboardId',
  ListTensorboards: 'Tensorboards',
  StartTensorboard: 'TensorboardId',
  StopTensorboard: 'TensorboardId',
  DeleteTensorboard: 'TensorboardId',
  UpdateTensorboard: 'TensorboardId',
  GetTensorboardSharedUrl: 'TensorboardSharedUrl',
  ListJobs: 'Jobs',
  GetJob: 'JobId',
};

/** A 200 JSON answer cut off mid-way. */
export function truncatedJson(body: Record<string, unknown>): string {
  const text = JSON.stringify(body);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
