import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ISynthesisSession, TerraformStack } from 'cdktf';
// cdktf's own synthesizer, annotation levels, error and Terraform version validation: not part of its index, but
// cdktf 0.21.0 is the last release, so the modules stay where they are.
import { AnnotationMetadataEntryType, encounteredAnnotationWithLevelError, invokeAspects, StackSynthesizer, ValidateTerraformVersion } from './cdktf-internals';
import { ConstructOrder } from 'constructs';
import { stableJson } from './stable-json';

/** Where cdktf keeps a construct's custom synthesis (an asset's copy into the output), a global symbol. */
const CUSTOM_SYNTHESIS = Symbol.for('cdktf/customSynthesis');
const ANNOTATION_LEVELS: readonly string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];

/**
 * cdktf 0.21.0's StackSynthesizer, step for step, except that the stack's JSON is written by stacks/fast-synthesis/stable-json.ts
 * rather than json-stable-stringify: the same text, at a third of the cost. HCL output (SYNTH_HCL_OUTPUT) is cdktf's
 * own.
 */
export class FastJsonStackSynthesizer extends StackSynthesizer {
  /** Takes the place of the synthesizer cdktf gave `stack`, with the same settings (which cdktf reads from the environment). */
  static install(stack: TerraformStack): void {
    const { continueOnErrorAnnotations, hclOutput } = stack.synthesizer as unknown as { continueOnErrorAnnotations: boolean; hclOutput: boolean };
    stack.synthesizer = new FastJsonStackSynthesizer(stack, continueOnErrorAnnotations, hclOutput);
  }

  override synthesize(session: ISynthesisSession): void {
    const { stack, continueOnErrorAnnotations, hclOutput } = this as unknown as { stack: TerraformStack; continueOnErrorAnnotations: boolean; hclOutput: boolean };
    if (hclOutput) {
      super.synthesize(session);
      return;
    }
    invokeAspects(stack);
    if (stack.hasResourceMove()) {
      stack.node.addValidation(new ValidateTerraformVersion('>=1.5', 'Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version.'));
    }
    if (!session.skipValidation) stack.runAllValidations();
    const stackManifest = session.manifest.forStack(stack);
    const workingDirectory = path.join(session.outdir, stackManifest.workingDirectory);
    if (!fs.existsSync(workingDirectory)) fs.mkdirSync(workingDirectory);
    for (const node of stack.node.findAll(ConstructOrder.POSTORDER)) {
      (node as unknown as Record<symbol, { onSynthesize(session: ISynthesisSession): void } | undefined>)[CUSTOM_SYNTHESIS]?.onSynthesize(session);
    }
    const annotations = stack.node.findAll().flatMap((node) =>
      node.node.metadata
        .filter((m) => ANNOTATION_LEVELS.includes(m.type))
        .map((m) => ({ constructPath: node.node.path, level: m.type, message: m.data, stacktrace: m.trace })),
    );
    (stackManifest as { annotations: unknown }).annotations = annotations;
    const errors = annotations.filter((a) => a.level === AnnotationMetadataEntryType.ERROR);
    if (!continueOnErrorAnnotations && errors.length > 0) {
      throw encounteredAnnotationWithLevelError(errors.map((a) => `[${a.constructPath}] ${a.message}`).join('\n'));
    }
    fs.writeFileSync(path.join(session.outdir, stackManifest.synthesizedStackPath), stableJson(stack.toTerraform())!);
  }
}

