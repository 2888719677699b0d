import type { OperationName } from './types';

/** Method + path -> operation, with the path's ID decoded. */

export interface Route {
  operation: OperationName;
  /** TensorboardId or JobId from the path. */
  id?: string;
}

const routes: ReadonlyArray<{ method: string; pattern: RegExp; operation: OperationName }> = [
  { method: 'POST', pattern: /^\/api\/v1\/tensorboards$/, operation: 'CreateTensorboard' },
  { method: 'GET', pattern: /^\/api\/v1\/tensorboards$/, operation: 'ListTensorboards' },
  { method: 'GET', pattern: /^\/api\/v1\/tensorboards\/([^/]+)$/, operation: 'GetTensorboard' },
  { method: 'PUT', pattern: /^\/api\/v1\/tensorboards\/([^/]+)$/, operation: 'UpdateTensorboard' },
  { method: 'DELETE', pattern: /^\/api\/v1\/tensorboards\/([^/]+)$/, operation: 'DeleteTensorboard' },
  { method: 'PUT', pattern: /^\/api\/v1\/tensorboards\/([^/]+)\/start$/, operation: 'StartTensorboard' },
  { method: 'PUT', pattern: /^\/api\/v1\/tensorboards\/([^/]+)\/stop$/, operation: 'StopTensorboard' },
  { method: 'GET', pattern: /^\/api\/v1\/tensorboards\/([^/]+)\/sharedurl$/, operation: 'GetTensorboardSharedUrl' },
  { method: 'GET', pattern: /^\/api\/v1\/jobs$/, operation: 'ListJobs' },
  { method: 'GET', pattern: /^\/api\/v1\/jobs\/([^/]+)$/, operation: 'GetJob' },
];

export function route(method: string, rawPath: string): Route | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(rawPath);
    if (!match) continue;
    const raw = match[1];
    if (raw === undefined) return { operation: candidate.operation };
    try {
      return { operation: candidate.operation, id: decodeURIComponent(raw) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
