// Finds terraform and the offline hashicorp/aws mirror. Plain JavaScript, so the jest reporter can use it too.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const PROVIDER_VERSION = '5.100.0';
const PLATFORM = `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

function mirrorCandidates() {
  // A mirror named explicitly is the only one looked at.
  if (process.env.AURORA_AUDIT_TF_MIRROR) return [process.env.AURORA_AUDIT_TF_MIRROR];
  const home = os.homedir();
  return [
    '/opt/tf-plugins',
    path.join(home, '.terraform.d', 'plugins'),
    path.join(home, '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
}

/** { available, reason?, terraform?, version?, mirror? } */
function terraformStatus() {
  let version;
  try {
    version = JSON.parse(execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } })).terraform_version;
  } catch {
    return { available: false, reason: 'terraform is not on PATH' };
  }
  const providerDir = path.join('registry.terraform.io', 'hashicorp', 'aws', PROVIDER_VERSION, PLATFORM);
  const mirror = mirrorCandidates().find((dir) => fs.existsSync(path.join(dir, providerDir)));
  if (!mirror) {
    return {
      available: false,
      reason: `no offline mirror of hashicorp/aws ${PROVIDER_VERSION} (${PLATFORM}) in ${mirrorCandidates().join(', ')}; set AURORA_AUDIT_TF_MIRROR`,
    };
  }
  return { available: true, version, mirror };
}

module.exports = { terraformStatus, PROVIDER_VERSION };
