import { ApiError } from './errors';
import type { Fault, OperationName } from './types';

/** Faults armed by tests, each good for its next `times` matching API requests. */
export class FaultQueue {
  private readonly armed: Array<Fault & { remaining: number }> = [];

  inject(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault.times must be a positive integer, got ${times}`);
    this.armed.push({ ...fault, remaining: times });
  }

  clear(): void {
    this.armed.length = 0;
  }

  pending(): Fault[] {
    return this.armed.map(({ remaining, ...fault }) => ({ ...fault, times: remaining }));
  }

  /** The first armed fault for this operation (and the ID in its path), used up by one. */
  take(operation: OperationName, id?: string): Fault | undefined {
    const index = this.armed.findIndex(
      (fault) =>
        (fault.operation === undefined || fault.operation === operation) && (fault.id === undefined || fault.id === id),
    );
    if (index < 0) return undefined;
    const fault = this.armed[index];
    fault.remaining -= 1;
    if (fault.remaining === 0) this.armed.splice(index, 1);
    const { remaining: _remaining, ...taken } = fault;
    return taken;
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
