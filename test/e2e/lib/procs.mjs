// Process helpers: free ports, process-group shutdown that leaves nothing behind.
import fs from 'node:fs';
import net from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** pid, ppid, pgid and state of every process, from /proc. */
export function procTable() {
  const rows = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rows.push({ pid: +d, ppid: +f[1], pgid: +f[2], state: f[0] });
    } catch {
      /* exited meanwhile */
    }
  }
  return rows;
}

function descendants(root, table) {
  const kids = new Map();
  for (const r of table) (kids.get(r.ppid) ?? kids.set(r.ppid, []).get(r.ppid)).push(r.pid);
  const out = [];
  const stack = [root];
  while (stack.length) for (const c of kids.get(stack.pop()) ?? []) out.push(c), stack.push(c);
  return out;
}

/**
 * Stops a detached child and everything it started: SIGTERM to its process group, then SIGKILL to whatever is
 * left of the group and of its descendants (some children start their own groups). Plain SIGTERM to the
 * leader alone leaves code-server's watchers and extension hosts behind.
 */
export async function killTree(pid, graceMs = 5000) {
  if (!pid) return [];
  const table = procTable();
  const members = new Set([pid, ...descendants(pid, table), ...table.filter((r) => r.pgid === pid).map((r) => r.pid)]);
  const living = () => {
    const t = procTable();
    return [...members].filter((p) => t.some((r) => r.pid === p && r.state !== 'Z'));
  };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  for (const p of members) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const end = Date.now() + graceMs;
  while (living().length && Date.now() < end) await sleep(50);
  const survivors = living();
  for (const p of survivors) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  return survivors;
}
