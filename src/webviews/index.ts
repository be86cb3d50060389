import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import { parseFormRestore, registryFormSpec, type RegistryFormTarget } from './formPanel';
import { PanelHost, viewTypes, type PanelSpec } from './panelHost';
import { restoreState, type PanelKind } from './protocol';
import { parseScanRestore, scanSpec, type ScanSource } from './scanPanel';
import { parseTagDetailsRestore, tagDetailsSpec, type TagDetailsTarget } from './tagDetailsPanel';

/** Opens panels and brings them back after a window reload. */
export class Webviews {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly ctx: Omit<CommandContext, 'webviews'>,
    /**
     * Where unsaved form input is kept, so it survives a window reload: a webview's own state is only written
     * with the editor layout, which a reload may not wait for.
     */
    private readonly drafts?: vscode.Memento,
  ) {}

  register(): vscode.Disposable[] {
    return (Object.keys(viewTypes) as PanelKind[]).map((kind) =>
      vscode.window.registerWebviewPanelSerializer(viewTypes[kind], {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const restore = restoreState.safeParse((state as { restore?: unknown } | undefined)?.restore);
          const spec = restore.success ? this.specFor(kind, restore.data) : undefined;
          if (!spec) {
            // Nothing to restore from (an older state shape): close rather than show an empty panel.
            panel.dispose();
            return;
          }
          PanelHost.restore(panel, this.extensionUri, this.ctx.logger, spec);
        },
      }),
    );
  }

  private specFor(kind: PanelKind, restore: Record<string, string | number | boolean>): PanelSpec | undefined {
    switch (kind) {
      case 'tagDetails': {
        const t = parseTagDetailsRestore(restore);
        return t && tagDetailsSpec(this.ctx.manager, t);
      }
      case 'scan': {
        const s = parseScanRestore(restore);
        return s && scanSpec(this.ctx.manager, s);
      }
      case 'form': {
        const f = parseFormRestore(restore);
        return f && this.formSpec(f);
      }
    }
  }

  showTagDetails(t: TagDetailsTarget): PanelHost {
    return PanelHost.show(this.extensionUri, this.ctx.logger, tagDetailsSpec(this.ctx.manager, t));
  }

  showScan(s: ScanSource): PanelHost {
    return PanelHost.show(this.extensionUri, this.ctx.logger, scanSpec(this.ctx.manager, s));
  }

  /** Opens a form panel built elsewhere (repository and policy forms of src/commands/hubCommands.ts). */
  showForm(spec: PanelSpec): PanelHost {
    return PanelHost.show(this.extensionUri, this.ctx.logger, spec);
  }

  editRegistry(target: string, draft?: Record<string, unknown>): PanelHost {
    return PanelHost.show(this.extensionUri, this.ctx.logger, this.formSpec({ formId: 'registry', target }, draft));
  }

  private formSpec(f: RegistryFormTarget, draft?: Record<string, unknown>): PanelSpec {
    const spec = registryFormSpec(this.ctx, f);
    const load = spec.load.bind(spec);
    const drafts = this.drafts;
    const draftKey = `registryExplorer.draft.${spec.key}`;
    const stored = (): Record<string, unknown> | undefined => {
      const v = drafts?.get<unknown>(draftKey);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    };
    return {
      ...spec,
      async load(signal) {
        const init = await load(signal);
        const unsaved = draft ?? stored();
        if (init.panel === 'form' && unsaved) init.data.draft = unsaved;
        draft = undefined;
        return init;
      },
      onDraft: (values) => void drafts?.update(draftKey, values),
      dispose: (unsaved) => {
        void drafts?.update(draftKey, undefined);
        if (!unsaved) return;
        void vscode.window.showWarningMessage(`Unsaved changes to registry “${f.target}” were not saved.`, 'Reopen with My Changes').then((pick) => {
          if (pick) this.editRegistry(f.target, unsaved);
        });
      },
    };
  }
}
