/**
 * DTR's CSV scan export, made safe to open in a spreadsheet: every cell that starts with `=`, `+`, `-`, `@` (or a
 * tab or carriage return) would run as a formula, so it gets a leading `'`, as the product's own CSV export does.
 * The rows are read as RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks) and written back the same
 * way; cells that need no change keep their text.
 */
export function neutraliseCsv(text: string): string {
  const rows = parseCsv(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const out = rows.map((row) => row.map(csvCell).join(',')).join(eol);
  return /\r?\n$/.test(text) ? out + eol : out;
}

function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows of cells; a final line break ends the last row rather than starting an empty one. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const end = text.replace(/\r?\n$/, '').length;
  while (i < end) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (c === '\r') i++;
    } else cell += c;
    i++;
  }
  if (end > 0 || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
