/** Everything a Hub route module needs: the state, the response shapes and `route`. */
import type { Handler } from './request';
import type { HubJson } from './json';
import type { HubState } from './state';

export type HubKit = HubState & HubJson & { route: (method: string, template: string, h: Handler) => void };
