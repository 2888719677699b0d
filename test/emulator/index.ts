/** The local PAI-DLC API emulator: what tests and `npm run emulator` import. */
export { ManualClock, ShiftedClock, systemClock, type Clock } from './clock';
export { EmulatorControl } from './control';
export { OssControl } from './oss/control';
export type { OssFault, OssFaultKind, OssOperation, OssRecordedRequest } from './oss/server';
export { apiVersion } from './gateway';
export { defaultTimings } from './lifecycle';
export type { RealBoardProcess, RealBoardsState } from './realBoards';
export { defaultSeedPath, loadSeed, type Seed } from './seed';
export { sampleLogsDir } from './storage';
export { startEmulator } from './server';
export { buildStringToSign, contentMd5, signString } from './signature';
export type {
  BoardStatusName,
  Emulator,
  EmulatorOptions,
  EmulatorState,
  Fault,
  FaultKind,
  IssuedCredentials,
  CredentialOperationName,
  OidcToken,
  OidcTokenRequest,
  OperationName,
  RecordedRequest,
  StsCredentials,
  Timings,
} from './types';
