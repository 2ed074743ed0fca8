/**
 * Where the alert-details function's package is, and what Terraform hashes: built once at build time by
 * scripts/build-lambda.ts into dist/lambda/ (it ships in the npm package), read here, and handed to the construct
 * (modules/alert-details-function.ts), which does no file I/O.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../config/package-root';

export const ALERT_DETAILS_PACKAGE = {
  dir: path.join('dist', 'lambda'),
  zip: 'alert-details.zip',
  /** The bundled code, unzipped: what tests run the way Lambda runs it. */
  code: 'alert-details.js',
  manifest: 'alert-details.json',
} as const;

export interface AlertDetailsManifest {
  /** What Lambda's source_code_hash compares: the zip's SHA-256, base64. */
  readonly sha256: string;
  /** The name cdktf gives the asset's folder: what its own hash of the file gives. */
  readonly assetHash: string;
}

export interface AlertDetailsPackage extends AlertDetailsManifest {
  readonly zipPath: string;
}

let read: AlertDetailsPackage | undefined;

/** The built package; a missing build is an error that says how to make it. */
export function alertDetailsPackage(): AlertDetailsPackage {
  if (read) return read;
  const dir = path.join(packageRoot(), ALERT_DETAILS_PACKAGE.dir);
  const manifestPath = path.join(dir, ALERT_DETAILS_PACKAGE.manifest);
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`the alert-details package is not built (${manifestPath} is missing): run npm run build`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as AlertDetailsManifest;
  read = { sha256: manifest.sha256, assetHash: manifest.assetHash, zipPath: path.join(dir, ALERT_DETAILS_PACKAGE.zip) };
  return read;
}
