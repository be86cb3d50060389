import type * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import type { HealthMonitor } from '../health/healthMonitor';
import type { Logger } from '../registry/context';
import type { SecretStore } from '../secrets/secretStore';
import type { RegistryTreeProvider } from '../tree/registryTreeProvider';
import type { Webviews } from '../webviews';

/** Services every command handler may use. */
export interface CommandContext {
  manager: RegistryManager;
  secrets: SecretStore;
  tree: RegistryTreeProvider;
  health: HealthMonitor;
  logger: Logger;
  channel: vscode.LogOutputChannel;
  webviews: Webviews;
}
