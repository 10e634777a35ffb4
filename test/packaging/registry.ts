// A local npm registry for the packaging test: serves the packuments and tarballs of a set of
// .tgz files on 127.0.0.1, so `npm install @vrfctl/route` resolves every dependency (workspace
// ones and third-party ones) to tarballs made in this run, offline, as it would from npmjs.org.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';

export interface Manifest {
  name: string;
  version: string;
  [key: string]: unknown;
}

/** package/package.json of a tarball (npm pack and pnpm pack both use the package/ prefix). */
export function tarballManifest(file: string): Manifest {
  return JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' })) as Manifest;
}

export interface LocalRegistry {
  url: string;
  /** Packument requests answered 404 (a dependency no tarball provides). */
  missing: string[];
  close(): Promise<void>;
}

export async function startRegistry(tarballs: string[]): Promise<LocalRegistry> {
  const byName = new Map<string, Array<{ manifest: Manifest; file: string; bytes: Buffer }>>();
  for (const file of tarballs) {
    const manifest = tarballManifest(file);
    const entry = { manifest, file, bytes: readFileSync(file) };
    byName.set(manifest.name, [...(byName.get(manifest.name) ?? []), entry]);
  }
  const missing: string[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (path.startsWith('/-/tarballs/')) {
      const name = path.slice('/-/tarballs/'.length);
      const hit = [...byName.values()].flat().find((e) => basename(e.file) === name);
      if (hit) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': hit.bytes.length });
        res.end(hit.bytes);
        return;
      }
    }
    const entries = byName.get(path.slice(1));
    if (!entries) {
      if (!path.startsWith('/-/')) missing.push(path.slice(1));
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    const versions: Record<string, unknown> = {};
    for (const { manifest, file, bytes } of entries) {
      versions[manifest.version] = {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          tarball: `${url}/-/tarballs/${encodeURIComponent(basename(file))}`,
          shasum: createHash('sha1').update(bytes).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        },
      };
    }
    const latest = entries[entries.length - 1].manifest.version;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name: entries[0].manifest.name, 'dist-tags': { latest }, versions }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    missing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
