// A Mermaid stateDiagram-v2 generated from the machine definition itself, so the
// published diagram can never drift from the code.
import type { AnyStateMachine, AnyStateNode } from 'xstate';

const id = (node: AnyStateNode) => node.path.join('__').replace(/-/g, '_');

export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  renderChildren(machine.root, lines, '  ');
  return lines.join('\n') + '\n';
}

function renderChildren(parent: AnyStateNode, lines: string[], indent: string): void {
  const children = Object.values(parent.states) as AnyStateNode[];
  for (const child of children) {
    lines.push(`${indent}state "${child.key}" as ${id(child)}`);
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${id(child)} {`);
      renderChildren(child, lines, indent + '  ');
      lines.push(`${indent}}`);
    }
  }
  if (parent.initial?.target?.[0]) lines.push(`${indent}[*] --> ${id(parent.initial.target[0])}`);
  for (const child of children) {
    for (const [event, transitions] of child.transitions) {
      // guarded branches of one event to the same target (FORWARD of a listed case) are one edge
      const edges = new Set(
        transitions.flatMap((t) => (t.target ?? []).map((target) => `${id(child)} --> ${id(target)}: ${event}`)),
      );
      for (const edge of edges) lines.push(`${indent}${edge}`);
    }
    if (child.type === 'final') lines.push(`${indent}${id(child)} --> [*]`);
  }
}

/** State paths (dotted for nested states) and every event the machine knows. */
export function describeMachine(machine: AnyStateMachine): { states: string[]; events: string[] } {
  const states: string[] = [];
  const walk = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      states.push(child.path.join('.'));
      walk(child);
    }
  };
  walk(machine.root);
  return { states, events: [...new Set(machine.events)].filter((e) => !e.startsWith('xstate.')).sort() };
}
