import type { WebviewMessage } from '../webviews/protocol';

export interface Reply {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  items?: string[];
}

type WithRequest = Extract<WebviewMessage, { requestId: string }>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** What every panel module gets from the bootstrap. */
export interface PanelContext {
  post(m: WebviewMessage): void;
  request(m: DistributiveOmit<WithRequest, 'requestId'>): Promise<Reply>;
  getUiState<T>(key: string): T | undefined;
  setUiState(key: string, value: unknown): void;
}
