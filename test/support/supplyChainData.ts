/**
 * The packages and vulnerabilities of the sandbox's supply-chain attachments (test/support/supplyChain.ts), apart
 * from the code that pushes them, so a UI spec can read them without loading the HTTP client.
 */

export const SBOM_PACKAGES = [
  { name: 'musl', version: '1.2.5-r0', license: 'MIT', purl: 'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64' },
  { name: 'busybox', version: '1.36.1-r29', license: 'GPL-2.0-only', purl: 'pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64' },
  { name: 'zlib', version: '1.3.1-r1', license: 'Zlib', purl: 'pkg:apk/alpine/zlib@1.3.1-r1?arch=x86_64' },
];

/** The vulnerabilities the sandbox's vulnerability attestation reports, on packages of SBOM_PACKAGES. */
export const VULN_FINDINGS = [
  { id: 'CVE-2025-26519', pkg: 'musl', installed: '1.2.5-r0', fixed: '1.2.5-r1', severity: 'HIGH', score: 8.1, title: 'musl: iconv EUC-KR out-of-bounds write' },
  { id: 'CVE-2023-42363', pkg: 'busybox', installed: '1.36.1-r29', fixed: '1.36.1-r30', severity: 'MEDIUM', score: 5.5, title: 'busybox: use-after-free in awk' },
  { id: 'CVE-2023-42366', pkg: 'busybox', installed: '1.36.1-r29', fixed: '', severity: 'MEDIUM', score: 5.5, title: 'busybox: heap-buffer-overflow in awk' },
  { id: 'CVE-2023-45853', pkg: 'zlib', installed: '1.3.1-r1', fixed: '', severity: 'CRITICAL', score: 9.8, title: 'zlib: integer overflow in zipOpenNewFileInZip4_6' },
] as const;
