import type { AccountServices } from '../account/connection';
import type { BoardModel } from './boardModel';

/** What the boards' commands and views read of the extension's services. */
export interface BoardServices extends AccountServices {
  /** The one store of boards that every view follows. */
  readonly boards: BoardModel;
}
