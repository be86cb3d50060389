import * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import type { Logger } from '../registry/context';
import type { SecretStore } from '../secrets/secretStore';
import type { RegistryTreeProvider } from '../tree/registryTreeProvider';
import type { AdminFormTarget } from './adminForm';
import type { RegistryFormTarget } from './formPanel';
import type { PanelHost, PanelSpec } from './panelHost';
import type { PanelKind } from './protocol';
import type { AttachmentTarget, SignatureVerifier } from './attachmentPanel';
import type { Outcome } from '../registry/admin';
import type { Attachment } from '../registry/attachments';
import type { ScanSource } from './scanPanel';
import type { TagDetailsTarget } from './tagDetailsPanel';
import type { CompareTarget } from './comparePanel';

/**
 * The panel modules (hosting, message schemas, panel specs) are loaded when a panel is first opened or restored,
 * not at activation. Serializers are registered at activation, so the view types are spelled out here;
 * loadPanels() checks them against panelHost's.
 */
const viewTypes: Record<PanelKind, string> = {
  tagDetails: 'registryExplorer.tagDetails',
  scan: 'registryExplorer.scan',
  form: 'registryExplorer.form',
  compare: 'registryExplorer.compare',
  attachment: 'registryExplorer.attachment',
};

type PanelModules = typeof import('./panels');
let panelModules: PanelModules | undefined;

function loadPanels(): PanelModules {
  if (panelModules) return panelModules;
  // A lazy require: the build makes it the panels bundle (dist/panels.js), loaded on first use.
  const loaded = require('./panels') as PanelModules; // eslint-disable-line @typescript-eslint/no-require-imports
  for (const kind of Object.keys(viewTypes) as PanelKind[]) {
    if (loaded.host.viewTypes[kind] !== viewTypes[kind]) throw new Error(`view type of ${kind} panels differs from panelHost's`);
  }
  return (panelModules = loaded);
}

/** Services the panels use. */
export interface PanelServices {
  manager: RegistryManager;
  secrets: SecretStore;
  tree: RegistryTreeProvider;
  logger: Logger;
}

/** Opens panels and brings them back after a window reload. */
export class Webviews {
  /**
   * Checks signatures shown in the attachment panel against the keys the user trusts; absent, every signature is
   * shown as not verified (never guessed).
   */
  signatureVerifier?: SignatureVerifier;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly ctx: PanelServices,
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
          // A malformed, huge or deeply nested state is refused cleanly (the panel closes), never a crash.
          const restore = loadPanels().check.parseRestoreState(state);
          const spec = restore ? this.specFor(kind, restore) : undefined;
          if (!spec) {
            // Nothing to restore from (an older state shape): close rather than show an empty panel.
            panel.dispose();
            return;
          }
          loadPanels().host.PanelHost.restore(panel, this.extensionUri, this.ctx.logger, spec);
        },
      }),
    );
  }

  private specFor(kind: PanelKind, restore: Record<string, string | number | boolean>): PanelSpec | undefined {
    const { form, scan, tagDetails, compare, attachment } = loadPanels();
    switch (kind) {
      case 'tagDetails': {
        const t = tagDetails.parseTagDetailsRestore(restore);
        return t && tagDetails.tagDetailsSpec(this.ctx.manager, t);
      }
      case 'scan': {
        const s = scan.parseScanRestore(restore);
        return s && scan.scanSpec(this.ctx.manager, s);
      }
      case 'compare': {
        const c = compare.parseCompareRestore(restore);
        return c && compare.compareSpec(this.ctx.manager, c);
      }
      case 'attachment': {
        const a = attachment.parseAttachmentRestore(restore);
        return a && attachment.attachmentSpec(this.ctx.manager, a, { verify: this.signatureVerifier });
      }
      case 'form': {
        const f = form.parseFormRestore(restore);
        if (f) return this.formSpec(f);
        const a = loadPanels().admin.parseAdminFormRestore(restore);
        return a && this.adminSpec(a);
      }
    }
  }

  showTagDetails(t: TagDetailsTarget): PanelHost {
    const { host, tagDetails } = loadPanels();
    return host.PanelHost.show(this.extensionUri, this.ctx.logger, tagDetails.tagDetailsSpec(this.ctx.manager, t));
  }

  showScan(s: ScanSource): PanelHost {
    const { host, scan } = loadPanels();
    return host.PanelHost.show(this.extensionUri, this.ctx.logger, scan.scanSpec(this.ctx.manager, s));
  }

  showCompare(t: CompareTarget): PanelHost {
    const { host, compare } = loadPanels();
    return host.PanelHost.show(this.extensionUri, this.ctx.logger, compare.compareSpec(this.ctx.manager, t));
  }

  /**
   * Checks the signatures the open attachment panels show again (the key the user trusts changed). Nothing is
   * loaded when no panel was ever opened.
   */
  recheckSignatures(): void {
    if (!panelModules) return;
    for (const p of panelModules.host.PanelHost.all()) if (p.spec.kind === 'attachment' && p.spec.restore.kind === 'signature') void p.reload();
  }

  /** Opens one attachment (signature, SBOM, attestation) of an image. */
  showAttachment(target: AttachmentTarget, initial?: Attachment): PanelHost {
    const { host, attachment } = loadPanels();
    return host.PanelHost.show(this.extensionUri, this.ctx.logger, attachment.attachmentSpec(this.ctx.manager, target, { initial, verify: this.signatureVerifier }));
  }

  /** Opens a panel from a ready spec (the in-host tests drive a panel host through it). */
  showPanel(spec: PanelSpec): PanelHost {
    return loadPanels().host.PanelHost.show(this.extensionUri, this.ctx.logger, spec);
  }

  /** Opens the form of an admin-model operation (create, edit, an action's input), keeping its unsaved input. */
  showAdminForm(t: AdminFormTarget, draft?: Record<string, unknown>): PanelHost {
    return loadPanels().host.PanelHost.show(this.extensionUri, this.ctx.logger, this.adminSpec(t, draft));
  }

  private adminSpec(t: AdminFormTarget, draft?: Record<string, unknown>): PanelSpec {
    const svc = {
      manager: this.ctx.manager,
      tree: this.ctx.tree,
      logger: this.ctx.logger,
      openPanel: (registryName: string, o: Extract<Outcome, { kind: 'panel' }>) => {
        if (o.panel === 'scan') this.showScan({ registryName, repository: o.repository, tag: o.reference });
        else if (o.panel === 'attachment') this.showAttachment({ registryName, repository: o.repository, tag: o.reference, subject: o.subject, digest: o.digest, kind: o.attachmentKind });
        else this.showTagDetails({ registryName, repository: o.repository, reference: o.reference });
      },
    };
    return this.withDrafts(loadPanels().admin.adminFormSpec(svc, t), draft, (unsaved) => this.showAdminForm(t, unsaved));
  }

  editRegistry(target: string, draft?: Record<string, unknown>): PanelHost {
    return loadPanels().host.PanelHost.show(this.extensionUri, this.ctx.logger, this.formSpec({ formId: 'registry', target }, draft));
  }

  private formSpec(f: RegistryFormTarget, draft?: Record<string, unknown>): PanelSpec {
    return this.withDrafts(loadPanels().form.registryFormSpec(this.ctx, f), draft, (unsaved) => this.editRegistry(f.target, unsaved), `registry “${f.target}”`);
  }

  /**
   * A form spec whose unsaved input is kept in `drafts` (restored with the panel after a reload) and, when the
   * panel is closed with unsaved input, offered back through `reopen`.
   */
  private withDrafts(spec: PanelSpec, draft: Record<string, unknown> | undefined, reopen: (unsaved: Record<string, unknown>) => void, what = `“${spec.title}”`): PanelSpec {
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
        // A draft kept before secret fields were left out of drafts loses them here.
        if (init.panel === 'form' && unsaved) init.data.draft = spec.scrubDraft ? spec.scrubDraft(unsaved) : unsaved;
        draft = undefined;
        return init;
      },
      onDraft: (values) => {
        spec.onDraft?.(values);
        void drafts?.update(draftKey, values);
      },
      dispose: (unsaved) => {
        spec.dispose?.(unsaved);
        void drafts?.update(draftKey, undefined);
        if (!unsaved) return;
        void vscode.window.showWarningMessage(vscode.l10n.t('Unsaved changes to {0} were not saved.', what), 'Reopen with My Changes').then((pick) => {
          if (pick) reopen(unsaved);
        });
      },
    };
  }
}
