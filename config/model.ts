/**
 * The validated model: plain data with every default applied. Constructs read only this; none re-derives a default.
 */
import type { AuditEvent, Engine, LogType } from './aws';
import type { AlarmThreshold, DetectionDefinition } from '../detections';

export interface AuditModel {
  /** The file the model came from. */
  readonly sourcePath: string;
  /** True when no config was found and the bundled example was used. */
  readonly isBundledExample: boolean;
  /** The AWS profile init and discover use; synthesis never reads it. */
  readonly discoveryProfile?: string;
  readonly backend: BackendModel;
  readonly stacks: readonly StackModel[];
}

export type BackendModel =
  | { readonly type: 'local'; readonly directory: string }
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly keyPrefix: string;
      readonly region: string;
      readonly locking: 'lockfile' | 'dynamodb' | 'none';
      readonly dynamodbTable?: string;
      readonly roleArn?: string;
      readonly kmsKeyArn?: string;
    };

export interface StackModel {
  /** Stack name: the target name, or <accountId>-<region>. Unique in the config. */
  readonly name: string;
  /** Where the target sits in the config, for messages: `targets[1]`. */
  readonly configPath: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly roleArn?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly encryption: EncryptionModel;
  readonly slack: SlackModel;
  readonly clusters: readonly ClusterModel[];
}

export type EncryptionModel =
  | { readonly mode: 'create'; readonly deletionWindowDays: number }
  | { readonly mode: 'key'; readonly keyArn: string }
  | { readonly mode: 'none' };

export interface SlackModel {
  readonly teamId: string;
  readonly channelId: string;
  readonly configurationName: string;
  readonly guardrailPolicyArns: readonly string[];
  readonly loggingLevel: 'ERROR' | 'INFO' | 'NONE';
  readonly userAuthorizationRequired: boolean;
  readonly logRetentionDays: number;
}

export interface ClusterModel {
  readonly identifier: string;
  /** Where the cluster sits in the config: `targets[0].clusters[2]`. */
  readonly configPath: string;
  readonly engine: Engine;
  readonly engineVersion: string;
  /** Cluster parameter group family, from the engine version: aurora-mysql8.0. */
  readonly family: string;
  readonly attach: 'adopt' | 'external';
  readonly audit: ClusterAuditModel;
  /** Enabled detections only, each with its resolved threshold. */
  readonly detections: readonly DetectionModel[];
  /** Detections on by default that this cluster's settings would leave dead, so none is created; with why. */
  readonly skippedDetections: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

export interface ClusterAuditModel {
  readonly events: readonly AuditEvent[];
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly logTypes: readonly LogType[];
  /** Retention of each exported log type. */
  readonly retentionDays: Readonly<Partial<Record<LogType, number>>>;
}

export interface DetectionModel extends AlarmThreshold {
  readonly definition: DetectionDefinition;
}
