/** A self-signed certificate for 127.0.0.1, made once per run with openssl, for the cases served over TLS. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TlsFiles {
  key: Buffer;
  cert: Buffer;
  /** The certificate's file, given to the provider as `caFile`. */
  caFile: string;
}

let made: TlsFiles | undefined;

export function tlsFiles(): TlsFiles {
  if (made) return made;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-tls-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'basicConstraints=critical,CA:TRUE'],
    { cwd: dir, stdio: 'ignore' },
  );
  made = { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')), caFile: path.join(dir, 'cert.pem') };
  return made;
}
