/**
 * Labels of the fake Harbor (the document's Label): global labels (`scope: g`) and project labels (`scope: p`). An
 * artifact's `labels` are names; a name no label carries becomes a global label the first time it is shown.
 */
import type { HarborState } from '../harborData';

export interface LabelRec {
  id: number;
  name: string;
  scope: 'g' | 'p';
  projectId?: number;
  description?: string;
}

const registry = new WeakMap<HarborState, LabelRec[]>();

export function labelsOf(state: HarborState): LabelRec[] {
  let l = registry.get(state);
  if (!l) registry.set(state, (l = []));
  return l;
}

/** Adds a label (global without `projectId`). */
export function addLabel(state: HarborState, name: string, projectId?: number, description?: string): LabelRec {
  const rec: LabelRec = { id: 100 + labelsOf(state).length, name, scope: projectId === undefined ? 'g' : 'p', ...(projectId !== undefined ? { projectId } : {}), ...(description ? { description } : {}) };
  labelsOf(state).push(rec);
  return rec;
}

/** The label an artifact's label name stands for (a global label is made for a name no label carries). */
export function labelNamed(state: HarborState, name: string): LabelRec {
  return labelsOf(state).find((l) => l.name === name) ?? addLabel(state, name);
}

/** The document's Label. */
export function labelJson(l: LabelRec): Record<string, unknown> {
  return { id: l.id, name: l.name, description: l.description ?? '', color: '#0065AB', scope: l.scope, project_id: l.projectId ?? 0, creation_time: '2024-01-01T00:00:00.000Z', update_time: '2024-01-01T00:00:00.000Z' };
}
