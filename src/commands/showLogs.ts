import type { Services } from '../services';

export function showLogs(services: Services): void {
  services.log.show(true);
}
