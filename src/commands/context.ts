import type * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import type { HealthMonitor } from '../health/healthMonitor';
import type { Logger } from '../registry/context';
import type { SecretStore } from '../secrets/secretStore';
import type { RegistryTreeProvider } from '../tree/registryTreeProvider';
import type { TreeNode } from '../tree/nodes';
import type { Webviews } from '../webviews';
import type { LoadedSet } from './goToSearch';

/** Services every command handler may use. */
export interface CommandContext {
  manager: RegistryManager;
  secrets: SecretStore;
  tree: RegistryTreeProvider;
  health: HealthMonitor;
  logger: Logger;
  channel: vscode.LogOutputChannel;
  webviews: Webviews;
  /** Containers whose children the tree has loaded (Go to… searches them). */
  loaded?: LoadedSet;
  /** Called for every container the palette listed. */
  listed?: (node: TreeNode) => void;
  /** Reveals, selects and focuses a node in the Registries view. */
  reveal?: (node: TreeNode) => Thenable<void>;
}
