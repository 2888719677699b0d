import type { OperationName } from '../types';
import type { Answer, OperationContext } from './context';
import { getJob, listJobs } from './jobs';
import {
  createTensorboard,
  deleteTensorboard,
  getTensorboard,
  getTensorboardSharedUrl,
  listTensorboards,
  startTensorboard,
  stopTensorboard,
  updateTensorboard,
} from './tensorboards';

export type { Answer, OperationContext, ServiceSettings } from './context';

export const operations: Record<OperationName, (context: OperationContext) => Answer> = {
  CreateTensorboard: createTensorboard,
  GetTensorboard: getTensorboard,
  ListTensorboards: listTensorboards,
  StartTensorboard: startTensorboard,
  StopTensorboard: stopTensorboard,
  DeleteTensorboard: deleteTensorboard,
  UpdateTensorboard: updateTensorboard,
  GetTensorboardSharedUrl: getTensorboardSharedUrl,
  ListJobs: listJobs,
  GetJob: getJob,
};
