import type { Services } from '../services';

export function refreshBoards(services: Services): void {
  services.boards.refresh();
}
