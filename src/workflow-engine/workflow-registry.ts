// Every procedure the engine runs, by name and version. Every version that ever
// wrote a snapshot stays registered, so an instance is always restored by the
// definition that created its snapshot; new instances start on the current one.
import type { WorkflowDefinition } from '../../workflows/procedure';
import { referralWorkflow } from '../../workflows/referral/referral.workflow';
import { reverseTransferWorkflow } from '../../workflows/reverse-transfer/reverse-transfer.workflow';
import { transferRecommendationWorkflow } from '../../workflows/transfer-recommendation/transfer-recommendation.workflow';

interface Registered {
  current: WorkflowDefinition;
  versions: Map<string, WorkflowDefinition>;
}

// A Map: names come from URLs and rows, and a plain object would also answer to `__proto__`.
const WORKFLOWS = new Map<string, Registered>();

function register(...versions: WorkflowDefinition[]): void {
  const current = versions[versions.length - 1];
  WORKFLOWS.set(current.name, { current, versions: new Map(versions.map((d) => [d.version, d])) });
}

register(referralWorkflow);
register(transferRecommendationWorkflow);
register(reverseTransferWorkflow);

/** The definition that wrote a snapshot of `version`; a row naming an unknown one is a deployment error. */
export function definitionFor(workflow: string, version: string): WorkflowDefinition {
  const d = WORKFLOWS.get(workflow)?.versions.get(version);
  if (!d) throw new Error(`No ${workflow} workflow registered for version ${version}`);
  return d;
}

/** The version new instances of `workflow` start on; undefined for a name that is no workflow. */
export const currentDefinition = (workflow: string): WorkflowDefinition | undefined => WORKFLOWS.get(workflow)?.current;

export const currentDefinitions = (): WorkflowDefinition[] => [...WORKFLOWS.values()].map((w) => w.current);

export const WORKFLOW_NAMES: readonly string[] = currentDefinitions().map((d) => d.name);

/** Every deadline kind of every workflow (supervision filters, views). */
export const ALL_DEADLINE_KINDS: readonly string[] = [
  ...new Set(currentDefinitions().flatMap((d) => Object.keys(d.deadlines))),
].sort();

/** Every client event of every workflow (webhook subscriptions). */
export const ALL_CLIENT_EVENT_TYPES: readonly string[] = [...new Set(currentDefinitions().flatMap((d) => d.clientEventTypes))];

/** The timeline's first event of each workflow. */
export const START_EVENTS: readonly string[] = currentDefinitions().map((d) => d.startEvent);

/** Every notice template of every workflow. */
export const ALL_TEMPLATES: readonly string[] = [...new Set(currentDefinitions().flatMap((d) => d.templates))].sort();
