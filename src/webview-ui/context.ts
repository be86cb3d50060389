import type { WebviewMessage } from '../webviews/protocol';

export interface Reply {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  items?: string[];
}

/** The choices of a form field for a query (`error`: why they could not be loaded). */
export interface ChoicesReply {
  items: { value: string; label: string; description?: string }[];
  more?: boolean;
  error?: string;
}

type WithRequest = Exclude<Extract<WebviewMessage, { requestId: string }>, { type: 'choices' }>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** What every panel module gets from the bootstrap. */
export interface PanelContext {
  post(m: WebviewMessage): void;
  request(m: DistributiveOmit<WithRequest, 'requestId'>): Promise<Reply>;
  /** Loads the choices declared under `field` (a form field's `choices.key`) for `query`. */
  choices?(field: string, query: string): Promise<ChoicesReply>;
  getUiState<T>(key: string): T | undefined;
  setUiState(key: string, value: unknown): void;
}
