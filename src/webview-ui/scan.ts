import { severities, type Severity } from '../registry/scan';
import type { ScanData, ScanFilter } from '../webviews/protocol';
import { filterVulnerabilities, sortVulnerabilities, type ScanSortKey } from '../webviews/scanFilter';
import type { PanelContext } from './context';
import { clear, h } from './dom';
import { link } from './markdown';

type Vuln = ScanData['report']['vulnerabilities'][number];

const ROW_HEIGHT = 26;
const OVERSCAN = 12;

const columns: { key: ScanSortKey; title: string; cls: string }[] = [
  { key: 'severity', title: 'Severity', cls: 'c-sev' },
  { key: 'id', title: 'Vulnerability', cls: 'c-id' },
  { key: 'packageName', title: 'Package', cls: 'c-pkg' },
  { key: 'installedVersion', title: 'Installed', cls: 'c-ver' },
  { key: 'fixedVersion', title: 'Fixed in', cls: 'c-ver' },
  { key: 'cvss', title: 'CVSS', cls: 'c-cvss' },
];

interface UiState {
  filter: ScanFilter;
  sort: { key: ScanSortKey; descending: boolean };
  selected?: string;
}

/**
 * Scan summary: severity chart, filters, and a virtualised table — only the rows in view exist in the DOM, so
 * 5,000 vulnerabilities scroll as smoothly as 50.
 */
export function renderScan(app: HTMLElement, data: ScanData, ctx: PanelContext): void {
  const r = data.report;
  const saved = ctx.getUiState<UiState>('scan');
  const ui: UiState = saved ?? { filter: { search: '', severities: [], fixableOnly: false }, sort: { key: 'severity', descending: false } };
  const save = () => ctx.setUiState('scan', ui);

  app.appendChild(
    h(
      'header',
      { class: 'page-header' },
      h('h1', null, h('span', { class: 'codicon codicon-shield' }), ' ', `${r.repository}:${r.reference}`),
      h('p', { class: 'muted' }, [data.registryName, r.platform, statusText(r.status), r.scanner, r.scannedAt && `scanned ${r.scannedAt}`, `${(r.totalPackages ?? r.packages.length).toLocaleString('en-US')} packages`].filter(Boolean).join(' · ')),
    ),
  );
  if (r.source) app.appendChild(sourceBar(r.source, r.sources ?? [r.source], ctx));
  if (r.platforms && r.platforms.length > 1) app.appendChild(platformPicker(r.platforms, r.platform, ctx, r.totalPlatforms));
  if (r.message) app.appendChild(h('p', { class: 'notice' }, r.message));
  const all = r.totalVulnerabilities ?? r.vulnerabilities.length;
  if (r.totalVulnerabilities !== undefined) {
    app.appendChild(h('p', { class: 'notice truncated' }, `Showing the ${r.vulnerabilities.length.toLocaleString('en-US')} most severe of ${all.toLocaleString('en-US')} vulnerabilities; search and filters apply to these. Export for all.`));
  }

  // Severity chart: one bar per severity; clicking a bar toggles it in the filter.
  const total = severities.reduce((a, s) => a + (r.counts[s] ?? 0), 0);
  const max = Math.max(1, ...severities.map((s) => r.counts[s] ?? 0));
  const chart = h('div', { class: 'sev-chart', role: 'group', 'aria-label': 'Vulnerabilities by severity' });
  const barButtons = new Map<Severity, HTMLElement>();
  for (const s of severities) {
    const n = r.counts[s] ?? 0;
    const bar = h('span', { class: `bar sev-bg-${s}` });
    bar.style.width = `${Math.max(n ? 2 : 0, Math.round((n / max) * 100))}%`;
    const btn = h('button', { class: 'sev-row', type: 'button', 'aria-pressed': 'false', title: `Show only ${s}` }, h('span', { class: 'sev-name' }, s), h('span', { class: 'bar-track' }, bar), h('span', { class: 'sev-count' }, n.toLocaleString('en-US')));
    btn.addEventListener('click', () => {
      const set = new Set(ui.filter.severities);
      if (set.has(s)) set.delete(s);
      else set.add(s);
      ui.filter.severities = severities.filter((x) => set.has(x));
      update();
    });
    barButtons.set(s, btn);
    chart.appendChild(btn);
  }
  app.appendChild(h('section', { class: 'summary' }, h('div', { class: 'total' }, h('span', { class: 'big' }, total.toLocaleString('en-US')), ' vulnerabilities'), chart));

  // Controls
  const search = h('vscode-textfield', { placeholder: 'Search id, package, version, description', value: ui.filter.search, 'aria-label': 'Search vulnerabilities', class: 'search' }) as HTMLElement & { value: string };
  search.appendChild(h('span', { slot: 'content-before', class: 'codicon codicon-search' }));
  search.addEventListener('input', () => {
    ui.filter.search = search.value;
    update();
  });
  const fixable = h('vscode-checkbox', { label: 'Fixable only', checked: ui.filter.fixableOnly }) as HTMLElement & { checked: boolean };
  fixable.addEventListener('change', () => {
    ui.filter.fixableOnly = fixable.checked;
    update();
  });
  const shown = h('span', { class: 'muted shown-count', 'aria-live': 'polite' });
  const exportStatus = h('span', { class: 'muted export-status', 'aria-live': 'polite' });
  const exportBtn = (format: 'json' | 'csv') => {
    const b = h('vscode-button', { secondary: true, icon: 'export' }, `Export ${format.toUpperCase()}`);
    b.addEventListener('click', () => {
      exportStatus.textContent = 'Exporting…';
      void ctx.request({ type: 'export', format, filter: ui.filter }).then((reply) => {
        exportStatus.textContent = reply.message ?? (reply.ok ? 'Exported' : 'Export failed');
      });
    });
    return b;
  };
  app.appendChild(h('div', { class: 'toolbar' }, search, fixable, shown, h('span', { class: 'spacer' }), h('span', { class: 'export-buttons' }, exportBtn('json'), exportBtn('csv'))));
  app.appendChild(exportStatus);

  // Table: sticky header + virtual body
  const headerRow = h('div', { class: 'vrow vhead', role: 'row' });
  const headerCells = new Map<ScanSortKey, HTMLElement>();
  for (const c of columns) {
    const cell = h('button', { class: `vcell ${c.cls} sort`, role: 'columnheader', type: 'button' }, c.title);
    cell.addEventListener('click', () => {
      ui.sort = ui.sort.key === c.key ? { key: c.key, descending: !ui.sort.descending } : { key: c.key, descending: false };
      update();
    });
    headerCells.set(c.key, cell);
    headerRow.appendChild(cell);
  }
  const spacer = h('div', { class: 'vspacer' });
  const rowsLayer = h('div', { class: 'vrows', role: 'rowgroup' });
  const viewport = h('div', { class: 'vviewport', tabindex: '0', role: 'table', 'aria-label': 'Vulnerabilities' }, spacer, rowsLayer);
  const detail = h('aside', { class: 'vdetail', 'aria-live': 'polite' });
  app.appendChild(h('section', { class: 'vtable' }, headerRow, viewport));
  app.appendChild(detail);

  let rows: Vuln[] = [];
  let lastRange = '';

  function renderRows(force = false): void {
    const top = viewport.scrollTop;
    const height = viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const key = `${first}:${last}:${rows.length}`;
    if (!force && key === lastRange) return;
    lastRange = key;
    clear(rowsLayer);
    rowsLayer.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (let i = first; i < last; i++) {
      const v = rows[i]!;
      const row = h(
        'div',
        { class: `vrow${ui.selected === v.id + '|' + v.packageName ? ' selected' : ''}`, role: 'row', 'data-index': i },
        h('span', { class: 'vcell c-sev', role: 'cell' }, h('span', { class: `sev-pill sev-bg-${v.severity}` }, v.severity)),
        h('span', { class: 'vcell c-id mono', role: 'cell', title: v.id }, v.id),
        h('span', { class: 'vcell c-pkg', role: 'cell', title: v.packageName }, v.packageName),
        h('span', { class: 'vcell c-ver mono', role: 'cell', title: v.installedVersion ?? '' }, v.installedVersion ?? ''),
        h('span', { class: `vcell c-ver mono${v.fixedVersion ? ' fixed' : ' muted'}`, role: 'cell', title: v.fixedVersion ?? 'no fix available' }, v.fixedVersion ?? '—'),
        h('span', { class: 'vcell c-cvss', role: 'cell' }, v.cvss !== undefined ? v.cvss.toFixed(1) : ''),
      );
      row.addEventListener('click', () => select(v));
      rowsLayer.appendChild(row);
    }
  }

  function select(v: Vuln): void {
    ui.selected = v.id + '|' + v.packageName;
    save();
    renderRows(true);
    showDetail(v);
  }

  function showDetail(v: Vuln | undefined): void {
    clear(detail);
    if (!v) {
      detail.appendChild(h('p', { class: 'muted' }, 'Select a vulnerability to see its description and links.'));
      return;
    }
    detail.appendChild(h('h2', null, h('span', { class: `sev-pill sev-bg-${v.severity}` }, v.severity), ' ', v.id));
    detail.appendChild(
      h('p', null, `${v.packageName} ${v.installedVersion ?? ''}`, v.fixedVersion ? ` → fixed in ${v.fixedVersion}` : ' · no fix available', v.layer ? h('span', { class: 'muted' }, ` · layer ${v.layer.slice(0, 19)}…`) : null),
    );
    if (v.description) detail.appendChild(h('div', { class: 'vuln-description' }, v.description));
    if (v.links.length) {
      const list = h('ul', { class: 'links' });
      for (const url of v.links) list.appendChild(h('li', null, link(url, url, (u) => ctx.post({ type: 'openLink', url: u }))));
      detail.appendChild(list);
    }
  }

  function update(): void {
    save();
    rows = sortVulnerabilities(filterVulnerabilities(r.vulnerabilities, ui.filter), ui.sort.key, ui.sort.descending);
    spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    shown.textContent = `Showing ${rows.length.toLocaleString('en-US')} of ${all.toLocaleString('en-US')}${r.totalVulnerabilities !== undefined ? ' (export for all)' : ''}`;
    for (const [s, b] of barButtons) b.setAttribute('aria-pressed', String(ui.filter.severities.includes(s)));
    for (const [k, cell] of headerCells) {
      cell.setAttribute('aria-sort', ui.sort.key === k ? (ui.sort.descending ? 'descending' : 'ascending') : 'none');
      cell.dataset.sorted = ui.sort.key === k ? (ui.sort.descending ? 'desc' : 'asc') : '';
    }
    lastRange = '';
    renderRows(true);
    showDetail(rows.find((v) => v.id + '|' + v.packageName === ui.selected));
  }

  let frame = 0;
  viewport.addEventListener('scroll', () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      renderRows();
    });
  });
  new ResizeObserver(() => renderRows(true)).observe(viewport);
  if (r.vulnerabilities.length === 0) {
    viewport.appendChild(h('p', { class: 'muted empty' }, r.status === 'completed' ? 'No known vulnerabilities.' : statusText(r.status)));
  }
  update();
}

type SourceRef = NonNullable<ScanData['report']['source']>;

/** Which source the report is from and when it was produced; with several (registry scanner, attached reports), a picker. */
function sourceBar(current: SourceRef, sources: SourceRef[], ctx: PanelContext): HTMLElement {
  const produced = current.producedAt ? `produced ${current.producedAt}` : 'production time not stated';
  const info = h('span', { class: 'muted source-info' }, `${current.label} · ${produced}`);
  if (sources.length < 2) return h('div', { class: 'toolbar source-bar' }, h('span', { class: 'codicon codicon-source-control' }), ' Source: ', info);
  const select = h('vscode-single-select', { id: 'scan-source', 'aria-label': 'Scan source', class: 'source-select' }) as HTMLElement & { value: string; disabled: boolean };
  for (const s of sources) select.appendChild(h('vscode-option', { value: s.id, selected: s.id === current.id }, s.producedAt ? `${s.label} (${s.producedAt})` : s.label));
  const status = h('span', { class: 'muted source-status', 'aria-live': 'polite' });
  select.addEventListener('change', () => {
    const chosen = select.value;
    if (!chosen || chosen === current.id || !sources.some((s) => s.id === chosen)) return;
    select.disabled = true;
    status.textContent = 'Loading the report of that source…';
    ctx.post({ type: 'selectSource', source: chosen });
  });
  return h('div', { class: 'toolbar source-bar' }, h('label', { for: 'scan-source' }, h('span', { class: 'codicon codicon-source-control' }), ' Source'), select, info, status, h('span', { class: 'muted' }, `${sources.length} sources`));
}

/** One report per platform of a multi-platform tag: picking another asks the extension for that platform's report. */
function platformPicker(platforms: string[], current: string | undefined, ctx: PanelContext, total = platforms.length): HTMLElement {
  const select = h('vscode-single-select', { id: 'scan-platform', 'aria-label': 'Platform', class: 'platform-select' }) as HTMLElement & { value: string; disabled: boolean };
  for (const p of platforms) select.appendChild(h('vscode-option', { value: p, selected: p === current }, p));
  const status = h('span', { class: 'muted platform-status', 'aria-live': 'polite' });
  select.addEventListener('change', () => {
    const chosen = select.value;
    if (!chosen || chosen === current || !platforms.includes(chosen)) return;
    select.disabled = true;
    status.textContent = `Loading the report for ${chosen}…`;
    ctx.post({ type: 'selectPlatform', platform: chosen });
  });
  return h('div', { class: 'toolbar platform-bar' }, h('label', { for: 'scan-platform' }, h('span', { class: 'codicon codicon-vm' }), ' Platform'), select, status, h('span', { class: 'muted' }, total > platforms.length ? `${platforms.length} of ${total} platforms listed, one report each` : `${platforms.length} platforms, one report each`));
}

function statusText(s: ScanData['report']['status']): string {
  switch (s) {
    case 'completed':
      return 'scan completed';
    case 'queued':
      return 'scan queued';
    case 'scanning':
      return 'scan in progress';
    case 'failed':
      return 'scan failed';
    case 'unsupported':
      return 'scanning not supported for this image';
    case 'notScanned':
      return 'not scanned yet';
  }
}
