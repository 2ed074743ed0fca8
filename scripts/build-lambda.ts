/**
 * Builds the alert-details function's package at build time (npm run build, prepare, npm test): alert-details/handler.ts
 * and the detections it shares, bundled by esbuild into one index.js, zipped with fflate with a fixed time and mode.
 * fflate is plain JavaScript, so the same code gives the same bytes on every Node (zlib's output may change with the
 * zlib Node ships), and Terraform sees no change until the code changes. The package ships in the npm package under
 * dist/lambda/; stacks/alert-details-package.ts reads its manifest.
 *
 *   node dist/scripts/build-lambda.js
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { packageRoot } from '../config/package-root';
import { ALERT_DETAILS_PACKAGE, type AlertDetailsManifest } from '../stacks/alert-details-package';

/** 1980-01-01 00:00 local, the earliest time a zip entry records: no build's clock enters the bytes. */
const ZIP_EPOCH = new Date(1980, 0, 1, 0, 0, 0);

export interface BuiltPackage extends AlertDetailsManifest {
  readonly code: string;
  readonly zip: Uint8Array;
}

export function buildAlertDetailsPackage(root = packageRoot()): BuiltPackage {
  // esbuild is a development dependency: only a build needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ['alert-details/handler.ts'],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // The Lambda Node.js runtime provides the AWS SDK v3 (docs/facts.md, Alert details).
    external: ['@aws-sdk/*'],
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  const zip = deterministicZip('index.js', Buffer.from(code, 'utf8'));
  return {
    code,
    zip,
    sha256: createHash('sha256').update(zip).digest('base64'),
    // What cdktf's own asset hash gives a file (an MD5 of its bytes, 32 hex digits in capitals), so the asset's folder
    // in cdktf.out is named as cdktf would name it.
    assetHash: createHash('md5').update(zip).digest('hex').toUpperCase(),
  };
}

/** A zip of one file, deflated at level 9, dated 1980-01-01, mode 0644 (rw-r--r--). */
export function deterministicZip(name: string, data: Uint8Array): Uint8Array {
  return zipSync({ [name]: [data, { level: 9, mtime: ZIP_EPOCH, os: 3, attrs: (0o100644 << 16) >>> 0 }] });
}

/** Writes the package, its unzipped code and its manifest under dist/lambda/, each whole or not at all. */
export function writeAlertDetailsPackage(root = packageRoot()): BuiltPackage {
  const built = buildAlertDetailsPackage(root);
  const dir = path.join(root, ALERT_DETAILS_PACKAGE.dir);
  fs.mkdirSync(dir, { recursive: true });
  const write = (file: string, data: string | Uint8Array) => {
    const partial = path.join(dir, `.${file}.${process.pid}.tmp`);
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, path.join(dir, file));
  };
  write(ALERT_DETAILS_PACKAGE.zip, built.zip);
  write(ALERT_DETAILS_PACKAGE.code, built.code);
  // The manifest last: a reader that finds it finds the zip it describes.
  write(ALERT_DETAILS_PACKAGE.manifest, `${JSON.stringify({ sha256: built.sha256, assetHash: built.assetHash } satisfies AlertDetailsManifest, null, 2)}\n`);
  return built;
}

if (require.main === module) {
  const built = writeAlertDetailsPackage();
  console.log(`alert-details package: ${ALERT_DETAILS_PACKAGE.dir}/${ALERT_DETAILS_PACKAGE.zip}, ${built.zip.length} bytes, sha256 ${built.sha256}`);
}
