// Runs the in-host mocha suite (test/integration) inside code-server's extension host.
// code-server rejects --extensionDevelopmentPath / --extensionTestsPath on its command line, but the workbench
// URL accepts them in `payload`; the suite's console output and exit code reach the page through
// window.codeAutomationLog / window.codeAutomationExit (the contract @vscode/test-web uses).
import util from 'node:util';

/**
 * @returns {Promise<{ exitCode: number, lines: string[] }>}
 */
export async function runInHostSuite({ ctx, base, host, port, extensionPath, runner, workspace, timeoutMs = 240_000, onLine = () => {} }) {
  const page = await ctx.newPage();
  page.setDefaultTimeout(60_000);
  const lines = [];
  let done;
  const exited = new Promise((resolve) => (done = resolve));
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const text = util.format(...(Array.isArray(args) ? args : [args]));
    for (const line of text.split('\n')) {
      lines.push(line);
      onLine(line);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => done(code));
  const authority = `${host}:${port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://${authority}${runner}`],
  ];
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  let timer;
  try {
    const exitCode = await Promise.race([
      exited,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the in-host suite did not finish within ${timeoutMs / 1000} s`)), timeoutMs))),
    ]);
    return { exitCode, lines, page };
  } finally {
    clearTimeout(timer);
  }
}
