// The PAI-DLC client's public surface. Nothing here imports `vscode`.
export { DlcClient, MAX_TIMER_DELAY_MS, type CallEvent, type DlcClientOptions, type TensorboardAction } from './client';
export { PAI_DLC_REGIONS, endpointForRegion } from './endpoint';
export { ClientErrorCode, DlcError, describeError, errorMessage } from './errors';
export type { RetryOptions } from './retry';
export type {
  CreateTensorboardRequest,
  GetJobOptions,
  GetTensorboardOptions,
  Job,
  JobCodeSource,
  JobDataSource,
  ListJobsQuery,
  ListTensorboardsQuery,
  SharedUrlOptions,
  Tensorboard,
  TensorboardDataSource,
  TensorboardSpec,
  TensorboardUpdate,
} from './schemas';
export type { Credentials, CredentialsProvider } from './transport';
