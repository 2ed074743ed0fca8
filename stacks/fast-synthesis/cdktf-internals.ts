/**
 * Every name aurora-audit takes from cdktf 0.21.0 beyond its package index, in one place: the fast synthesis path
 * (this folder) needs them to do exactly what cdktf does, faster. cdktf 0.21.0 is its last release; a swap to CDK
 * Terrain that moves one of these fails to compile here, and test/stacks/synthesis.test.ts compares whole stacks with
 * a plain cdktf app's, byte for byte. No file outside this folder imports cdktf/lib/ (test/stacks/layout.test.ts).
 */
export { AnnotationMetadataEntryType } from 'cdktf/lib/annotations';
export { encounteredAnnotationWithLevelError } from 'cdktf/lib/errors';
export { invokeAspects, StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
export { deepMerge } from 'cdktf/lib/util';
export { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
