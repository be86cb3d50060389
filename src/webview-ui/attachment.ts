import type { AttachmentData } from '../webviews/attachmentProtocol';
import type { PanelContext } from './context';
import { clear, h } from './dom';

type View = AttachmentData['view'];
type Body = View['body'];
type Sbom = Extract<Body, { type: 'sbom' }>['sbom'];

/** Rows of the package table put on the page at once (the filter narrows, export writes all). */
const MAX_ROWS = 2000;

/** A definition list of label → value; empty values are left out. Values are text, never markup. */
function facts(rows: [string, string | undefined][], mono = false): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) {
    if (!v) continue;
    dl.appendChild(h('dt', null, k));
    dl.appendChild(h('dd', { class: mono ? 'mono' : undefined }, v));
  }
  return dl;
}

function pairsTable(caption: string, pairs: [string, string][]): HTMLElement | null {
  if (!pairs.length) return null;
  const body = h('tbody');
  for (const [k, v] of pairs) body.appendChild(h('tr', null, h('td', { class: 'mono' }, k), h('td', { class: 'mono wrap' }, v)));
  return h('section', null, h('h2', null, caption), h('table', { class: 'grid pairs' }, body));
}

function copyButton(ctx: PanelContext, text: string, what: string): HTMLElement {
  const b = h('vscode-button', { secondary: true, icon: 'copy', title: `Copy ${what}` }, 'Copy');
  b.addEventListener('click', () => ctx.post({ type: 'copy', text: text.slice(0, 20_000), what }));
  return b;
}

function sbomTable(app: HTMLElement, sbom: Sbom, ctx: PanelContext): void {
  app.appendChild(facts([['Format', sbom.specVersion ?? sbom.format], ['Document', sbom.name], ['Created', sbom.created], ['Tools', sbom.tools.join(', ')], ['Packages', sbom.packages.length.toLocaleString('en-US') + (sbom.omitted ? ` (+${sbom.omitted.toLocaleString('en-US')} not read)` : '')]]));
  const saved = ctx.getUiState<string>('attachmentSearch') ?? '';
  const search = h('vscode-textfield', { placeholder: 'Filter name, version, type, license, PURL', 'aria-label': 'Filter packages', class: 'search' }) as HTMLElement & { value: string };
  search.value = saved;
  const shown = h('span', { class: 'muted shown-count', 'aria-live': 'polite' });
  const status = h('span', { class: 'muted export-status', 'aria-live': 'polite' });
  const exportBtn = (format: 'json' | 'csv') => {
    const b = h('vscode-button', { secondary: true, icon: 'export' }, `Export ${format.toUpperCase()}`);
    b.addEventListener('click', () => {
      status.textContent = 'Exporting…';
      void ctx.request({ type: 'exportPackages', format, search: (search.value ?? '').slice(0, 200) }).then((r) => {
        status.textContent = r.message ?? (r.ok ? 'Exported' : 'Export failed');
      });
    });
    return b;
  };
  app.appendChild(h('div', { class: 'toolbar' }, search, shown, h('span', { class: 'spacer' }), exportBtn('json'), exportBtn('csv')));
  app.appendChild(status);
  const tbody = h('tbody');
  app.appendChild(h('table', { class: 'grid packages', 'aria-label': 'Packages' }, h('thead', null, h('tr', null, ...['Name', 'Version', 'Type', 'License', 'PURL'].map((c) => h('th', { scope: 'col' }, c)))), tbody));
  const update = () => {
    const text = search.value ?? '';
    const q = text.trim().toLowerCase();
    ctx.setUiState('attachmentSearch', text);
    const rows = q ? sbom.packages.filter((p) => [p.name, p.version, p.type, p.license, p.purl].some((v) => v?.toLowerCase().includes(q))) : sbom.packages;
    clear(tbody);
    for (const p of rows.slice(0, MAX_ROWS)) {
      tbody.appendChild(h('tr', null, h('td', null, p.name), h('td', { class: 'mono' }, p.version ?? ''), h('td', null, p.type ?? ''), h('td', null, p.license ?? ''), h('td', { class: 'mono wrap' }, p.purl ?? '')));
    }
    shown.textContent = rows.length > MAX_ROWS ? `Showing ${MAX_ROWS.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} (filter, or export for all)` : `${rows.length.toLocaleString('en-US')} of ${sbom.packages.length.toLocaleString('en-US')}`;
  };
  search.addEventListener('input', update);
  update();
}

function subjectRows(subject: { name?: string; digest: Record<string, string> }[]): [string, string][] {
  return subject.map((s) => [s.name ?? '(unnamed)', Object.entries(s.digest).map(([k, v]) => `${k}:${v}`).join(' ')]);
}

const VERIFICATION_TEXT: Record<string, string> = {
  verified: 'Verified',
  mismatch: 'Signature does not match',
  'not-verified-offline': 'Not verified offline',
  unchecked: 'Not verified',
};

function renderBody(app: HTMLElement, body: Body, ctx: PanelContext): void {
  switch (body.type) {
    case 'sbom':
      if (body.viaAttestation) app.appendChild(h('p', { class: 'muted' }, 'Read from an in-toto attestation'));
      sbomTable(app, body.sbom, ctx);
      return;
    case 'provenance': {
      const p = body.provenance;
      app.appendChild(facts([['Predicate', body.predicateType], ['SLSA', p.slsaVersion], ['Builder', p.builder], ['Build type', p.buildType], ['Source repository', p.sourceRepository], ['Commit', p.commit], ['Entry point', p.entryPoint], ['Started', p.startedOn], ['Finished', p.finishedOn]]));
      app.appendChild(pairsTable('Build parameters', p.parameters) ?? h('p', { class: 'muted' }, 'No build parameters recorded.'));
      const mats = pairsTable('Materials', p.materials.map((m) => [m.uri, m.digest ?? '']));
      if (mats) app.appendChild(mats);
      const subj = pairsTable('Subject', subjectRows(body.subject));
      if (subj) app.appendChild(subj);
      return;
    }
    case 'attestation': {
      app.appendChild(facts([['Predicate type', body.predicateType]]));
      const subj = pairsTable('Subject', subjectRows(body.subject));
      if (subj) app.appendChild(subj);
      app.appendChild(h('section', null, h('h2', null, 'Predicate ', copyButton(ctx, body.predicate, 'predicate')), h('pre', { class: 'raw' }, body.predicate)));
      return;
    }
    case 'signature': {
      const v = body.verification;
      // The verification result, as the host determined it; the page never decides it.
      app.appendChild(h('p', { class: `verification verification-${v.status}`, role: 'status' }, h('span', { class: `codicon codicon-${v.status === 'verified' ? 'pass' : v.status === 'mismatch' ? 'error' : 'question'}` }), ' ', VERIFICATION_TEXT[v.status] ?? v.status, ' — ', v.detail));
      const pl = body.payload;
      app.appendChild(
        facts([
          ['Scheme', body.scheme],
          ['Signed reference', pl?.dockerReference],
          ['Signed digest', pl?.manifestDigest],
          ['Payload type', pl?.type],
          ['Certificate identity', body.certificate?.subjectAltName],
          ['Certificate issuer', body.certificate?.issuer],
          ['Valid', body.certificate?.validFrom && `${body.certificate.validFrom} – ${body.certificate.validTo ?? ''}`],
          ['Signature', body.signature],
        ]),
      );
      const opt = pairsTable('Optional claims', pl?.optional ?? []);
      if (opt) app.appendChild(opt);
      if (body.payloadText) app.appendChild(h('section', null, h('h2', null, 'Payload ', copyButton(ctx, body.payloadText, 'payload')), h('pre', { class: 'raw' }, body.payloadText)));
      return;
    }
    case 'raw':
      app.appendChild(facts([['Content type', body.mediaType]]));
      app.appendChild(body.text !== undefined ? h('pre', { class: 'raw' }, body.text) : h('p', { class: 'muted' }, 'No content to show.'));
      return;
  }
}

/** One attachment of an image: its facts, then an SBOM table, a provenance, a signature or the raw content. */
export function renderAttachment(app: HTMLElement, data: AttachmentData, ctx: PanelContext): void {
  const v = data.view;
  const where = `${data.repository}${data.tag ? ':' + data.tag : ''}`;
  app.appendChild(h('header', { class: 'page-header' }, h('h1', null, h('span', { class: 'codicon codicon-link' }), ' ', v.label), h('p', { class: 'muted' }, [data.registryName, where, data.platform, v.created].filter(Boolean).join(' · '))));
  if (data.choices.length > 1) {
    const select = h('vscode-single-select', { id: 'attachment-platform', 'aria-label': 'Platform', class: 'platform-select' }) as HTMLElement & { value: string; disabled: boolean };
    data.choices.forEach((c, i) => select.appendChild(h('vscode-option', { value: String(i), selected: c.current }, c.label)));
    select.addEventListener('change', () => {
      const i = Number(select.value);
      if (!Number.isInteger(i) || i < 0 || i >= data.choices.length || data.choices[i]!.current) return;
      select.disabled = true;
      ctx.post({ type: 'selectChoice', index: i });
    });
    app.appendChild(h('div', { class: 'toolbar platform-bar' }, h('label', { for: 'attachment-platform' }, h('span', { class: 'codicon codicon-vm' }), ' Platform'), select));
  }
  for (const n of v.notes) app.appendChild(h('p', { class: 'notice' }, n));
  app.appendChild(facts([['Digest', v.digest], ['Artifact type', v.artifactType], ['Media type', v.mediaType], ['Found through', v.tag ? `${v.source} (${v.tag})` : v.source], ['Refers to', v.subject]], true));
  renderBody(app, v.body, ctx);
  const ann = pairsTable('Annotations', v.annotations);
  if (ann) app.appendChild(ann);
}
