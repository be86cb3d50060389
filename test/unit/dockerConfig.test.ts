import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findDockerCredentials, normalizeServer, readDockerConfig } from '../../src/secrets/dockerConfig';

describe('Docker config import', () => {
  let dir: string;
  let savedPath: string | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regexp-dockercfg-'));
    // A real credential helper executable on PATH, speaking the docker-credential protocol on stdin/stdout.
    const helper = path.join(dir, 'docker-credential-fake');
    fs.writeFileSync(
      helper,
      `#!/bin/sh\nread server\ncase "$server" in\n  helper.example:5000) echo '{"ServerURL":"helper.example:5000","Username":"robot","Secret":"s3cret-from-helper"}';;\n  *) echo "credentials not found in native keychain"; exit 1;;\nesac\n`,
      { mode: 0o755 },
    );
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${process.env.PATH}`;
  });
  after(() => {
    process.env.PATH = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('normalises server keys like the Docker CLI', () => {
    assert.equal(normalizeServer('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(normalizeServer('registry.example.com:5000'), 'registry.example.com:5000');
    assert.equal(normalizeServer('https://Registry.Example.com/'), 'registry.example.com');
  });

  it('finds the token of `docker login ghcr.io` for a GitHub Container Registry entry (url github.com)', async () => {
    assert.equal(normalizeServer('https://github.com'), normalizeServer('ghcr.io'));
    const { found } = await findDockerCredentials(['https://github.com'], { auths: { 'ghcr.io': { auth: Buffer.from('octocat:ghp_token-value').toString('base64') } } });
    assert.equal(found.get('https://github.com')?.secret, 'ghp_token-value');
  });

  it('decodes auths and runs credential helpers, reporting helper failures separately', async () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        auths: { 'registry.example.com:5000': { auth: Buffer.from('alice:pa:ss').toString('base64') }, 'https://index.docker.io/v1/': {} },
        credHelpers: { 'helper.example:5000': 'fake', 'missing.example': 'nosuchhelper' },
      }),
    );
    const config = await readDockerConfig(file);
    assert.ok(config);
    const { found, errors } = await findDockerCredentials(
      ['https://registry.example.com:5000', 'https://helper.example:5000', 'https://missing.example', 'https://none.example'],
      config,
    );
    assert.deepEqual(
      { ...found.get('https://registry.example.com:5000'), source: undefined },
      { serverKey: 'registry.example.com:5000', username: 'alice', secret: 'pa:ss', source: undefined },
    );
    assert.equal(found.get('https://helper.example:5000')?.secret, 's3cret-from-helper');
    assert.equal(found.get('https://helper.example:5000')?.username, 'robot');
    assert.equal(found.has('https://none.example'), false);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /docker-credential-nosuchhelper is not installed/);
    assert.ok(!errors[0]!.includes('s3cret'));
  });

  it('falls back to credsStore and treats "not found" as no credentials', async () => {
    const { found, errors } = await findDockerCredentials(['https://helper.example:5000', 'https://other.example'], { credsStore: 'fake' });
    assert.equal(found.get('https://helper.example:5000')?.username, 'robot');
    assert.equal(found.has('https://other.example'), false);
    assert.deepEqual(errors, []);
  });

  it('reports unreadable or malformed config files clearly', async () => {
    assert.equal(await readDockerConfig(path.join(dir, 'absent.json')), undefined);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ not json');
    await assert.rejects(readDockerConfig(bad), /not valid JSON/);
    fs.writeFileSync(bad, JSON.stringify({ auths: 'nope' }));
    await assert.rejects(readDockerConfig(bad), /unexpected shape at "auths"/);
  });
});
