import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ISynthesisSession, TerraformStack } from 'cdktf';
import { ConstructOrder } from 'constructs';
import { cdktfInternals, type CdktfInternals } from './cdktf-internals';
import { stableJson } from './stable-json';

/** Where cdktf keeps a construct's custom synthesis (an asset's copy into the output), a global symbol. */
const CUSTOM_SYNTHESIS = Symbol.for('cdktf/customSynthesis');

/**
 * cdktf 0.21.0's StackSynthesizer, step for step, except that the stack's JSON is written by
 * stacks/fast-synthesis/stable-json.ts rather than json-stable-stringify: the same text, at a third of the cost. HCL
 * output (SYNTH_HCL_OUTPUT) is cdktf's own. Made from cdktf's class once it is loaded (./cdktf-internals.ts).
 */
function fastSynthesizerClass(internals: CdktfInternals) {
  const { AnnotationMetadataEntryType, encounteredAnnotationWithLevelError, invokeAspects, StackSynthesizer, ValidateTerraformVersion } = internals;
  const levels: readonly string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];
  return class FastJsonStackSynthesizer extends StackSynthesizer {
    synthesize(session: ISynthesisSession): void {
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
          .filter((m) => levels.includes(m.type))
          .map((m) => ({ constructPath: node.node.path, level: m.type, message: m.data, stacktrace: m.trace })),
      );
      (stackManifest as { annotations: unknown }).annotations = annotations;
      const errors = annotations.filter((a) => a.level === AnnotationMetadataEntryType.ERROR);
      if (!continueOnErrorAnnotations && errors.length > 0) {
        throw encounteredAnnotationWithLevelError(errors.map((a) => `[${a.constructPath}] ${a.message}`).join('\n'));
      }
      fs.writeFileSync(path.join(session.outdir, stackManifest.synthesizedStackPath), stableJson(stack.toTerraform())!);
    }
  };
}

let made: ReturnType<typeof fastSynthesizerClass> | undefined;

/** Puts the fast synthesizer in place of the one cdktf gave `stack`, with the same settings (which cdktf reads from the environment). */
export function installFastSynthesizer(stack: TerraformStack): void {
  const internals = cdktfInternals();
  if (!internals) throw new Error('installFastSynthesizer: cdktf\'s internals are not available (checkSynthesisMode falls back first)');
  made ??= fastSynthesizerClass(internals);
  const { continueOnErrorAnnotations, hclOutput } = stack.synthesizer as unknown as { continueOnErrorAnnotations: boolean; hclOutput: boolean };
  stack.synthesizer = new made(stack, continueOnErrorAnnotations, hclOutput);
}
