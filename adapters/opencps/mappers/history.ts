/**
 * OpenCPS processing history → canonical progress: the `PROCESS_TYPE` entries of
 * `/dossierlogs/{id}/logs` (§6.1), or, when that log could not be read, the actions of
 * `/dossiers/{id}/sequences` (§6.2). A step's national status comes from `stepStatusMap`
 * (`stepCode` → 1–10); otherwise 4, and the last step carries the dossier's current status.
 */
import type { DossierDocument, DossierProgress, StatusCode } from '../../../schemas/dossier.ts';
import { zodIssues } from '../../../src/sdk/index.ts';
import type { ValidationIssue } from '../../../src/sdk/index.ts';
import { OpencpsLogEntrySchema, OpencpsProcessPayloadSchema, OpencpsSequenceActionSchema } from '../raw.ts';
import type { OpencpsMapOptions } from './to-dossier.ts';
import { nz, opencpsDate } from './values.ts';

export function mapHistory(logs: unknown[], current: StatusCode, options: OpencpsMapOptions, issues: ValidationIssue[]): { progress: DossierProgress[]; documents: DossierDocument[] } {
  const steps: { at: string; entry: Record<string, unknown>; payload: Record<string, unknown>; i: number }[] = [];
  logs.forEach((raw, i) => {
    const e = OpencpsLogEntrySchema.safeParse(raw);
    if (!e.success) return void issues.push(...zodIssues(e.error, `logs[${i}]`));
    if (e.data.notificationType !== 'PROCESS_TYPE') return;
    const at = opencpsDate(e.data.createDate, `logs[${i}].createDate`, issues);
    const payload = OpencpsProcessPayloadSchema.safeParse(e.data.payload ?? {});
    if (!payload.success) return void issues.push(...zodIssues(payload.error, `logs[${i}].payload`));
    if (at) steps.push({ at, entry: e.data, payload: payload.data, i });
  });
  steps.sort((a, b) => a.at.localeCompare(b.at));
  const documents: DossierDocument[] = [];
  const progress = steps.map((s, n): DossierProgress => {
    const p = s.payload as { jobPosName?: string; stepName?: string; stepCode?: string | number; files?: { dossierFileId?: string | number; fileName?: string }[] };
    for (const f of p.files ?? []) {
      documents.push({ fileId: f.dossierFileId === undefined ? null : String(f.dossierFileId), name: nz(f.fileName), deleted: false, componentCode: null, url: null, digitised: null, reuse: null, fromPersonalStore: null, replacementResultCode: null });
    }
    const stepCode = p.stepCode === undefined ? undefined : String(p.stepCode);
    const mapped = stepCode === undefined ? undefined : options.stepStatusMap?.[stepCode];
    const content = typeof s.entry['content'] === 'string' ? (s.entry['content'] as string) : '';
    return {
      handler: nz(s.entry['author'] as string | undefined) ?? 'Hệ thống',
      title: nz(p.jobPosName),
      at: s.at,
      department: null,
      action: nz(p.stepName) ?? nz(content) ?? 'Xử lý hồ sơ',
      status: (mapped ?? (n === steps.length - 1 ? current : 4)) as StatusCode,
      startedAt: n > 0 ? steps[n - 1]!.at : null,
      dueAt: null,
    };
  });
  return { progress, documents };
}


/** Progress from the `/sequences` phases: every action of every phase, in time order. */
export function mapSequences(phases: unknown[], current: StatusCode, options: OpencpsMapOptions, issues: ValidationIssue[]): { progress: DossierProgress[]; documents: DossierDocument[] } {
  const steps: { at: string; dueAt: string | null; handler: string; action: string; stepCode: string | undefined }[] = [];
  phases.forEach((phase, i) => {
    const actions = phase && typeof phase === 'object' ? (phase as { actions?: unknown }).actions : undefined;
    if (!Array.isArray(actions)) return;
    actions.forEach((raw, j) => {
      const path = `sequences[${i}].actions[${j}]`;
      const a = OpencpsSequenceActionSchema.safeParse(raw);
      if (!a.success) return void issues.push(...zodIssues(a.error, path));
      const at = opencpsDate(a.data.createDate, `${path}.createDate`, issues);
      const dueAt = opencpsDate(a.data.dueDate, `${path}.dueDate`, issues);
      if (at) steps.push({ at, dueAt, handler: nz(a.data.actionUser) ?? 'Hệ thống', action: nz(a.data.actionName) ?? nz(a.data.actionNote) ?? 'Xử lý hồ sơ', stepCode: a.data.stepCode === undefined ? undefined : String(a.data.stepCode) });
    });
  });
  steps.sort((a, b) => a.at.localeCompare(b.at));
  const progress = steps.map((s, n): DossierProgress => ({
    handler: s.handler,
    title: null,
    at: s.at,
    department: null,
    action: s.action,
    status: ((s.stepCode === undefined ? undefined : options.stepStatusMap?.[s.stepCode]) ?? (n === steps.length - 1 ? current : 4)) as StatusCode,
    startedAt: n > 0 ? steps[n - 1]!.at : null,
    dueAt: s.dueAt,
  }));
  return { progress, documents: [] };
}
