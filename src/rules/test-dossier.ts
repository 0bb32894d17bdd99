/**
 * Builds valid canonical dossiers for the rules tests from a few local-time facts, so each test
 * states only what it is about. Times are Vietnam local `YYYY-MM-DD HH:MM`.
 */
import { DossierSchema, statusOf, type Dossier, type StatusCode } from '../../schemas/dossier.ts';
import { instantAt } from './dates.ts';

/** `YYYY-MM-DD HH:MM` (Vietnam) → ISO instant. */
export function vn(local: string): string {
  const [date, clock = '00:00'] = local.split(' ') as [string, string | undefined];
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return instantAt(date, h * 60 + m);
}
const at = (local: string | null | undefined): string | null => (local ? vn(local) : null);

export interface DossierSpec {
  code: string;
  status: StatusCode;
  received?: string | null;
  due?: string | null;
  finished?: string | null;
  returned?: string | null;
  refused?: string | null;
  unit?: { code: string | null; name: string };
  procedure?: string;
  field?: { code: string; name: string };
  channel?: 'online' | 'counter' | 'postal' | null;
  progress?: Array<[StatusCode, string]>;
  supplements?: Array<{ requested: string; resubmitted: string | null; newDue?: string }>;
  digitised?: boolean;
  eResult?: boolean;
  fee?: number;
  paidOnline?: '0' | '1' | '2' | '3' | null;
  reused?: boolean;
  fromPersonalStore?: boolean;
  vneid?: boolean;
  databases?: string[];
}

export const UNIT_A = { code: '000.00.01.H44', name: 'Sở Tư pháp' };
export const UNIT_B = { code: '000.00.02.H44', name: 'UBND phường Tiên Cát' };

export function makeDossier(spec: DossierSpec): Dossier {
  const doc = {
    fileId: 'f1',
    name: 'Tờ khai',
    deleted: false,
    componentCode: 'TK',
    url: 'https://example.invalid/f1',
    digitised: spec.digitised ?? false,
    reuse: spec.reused ? ('1' as const) : ('0' as const),
    fromPersonalStore: spec.fromPersonalStore ?? false,
    replacementResultCode: null,
  };
  const dossier: Dossier = {
    code: spec.code,
    receiptNumber: null,
    procedure: { code: spec.procedure ?? '2.000488', name: 'Thủ tục mẫu', fieldCode: spec.field?.code ?? 'HT', fieldName: spec.field?.name ?? 'Hộ tịch' },
    unit: spec.unit ?? UNIT_A,
    applicant: { name: 'Nguyễn Văn A', type: 'citizen', idNumber: null, accountId: null, email: null, fax: null, phone: null, identifiers: [] },
    summary: 'Hồ sơ thử',
    otherInfo: null,
    note: null,
    channel: spec.channel === undefined ? 'counter' : spec.channel,
    submissionPlace: null,
    resultDelivery: 'in_person',
    returnInfo: null,
    dates: {
      submittedAt: at(spec.received),
      receivedAt: spec.received === undefined ? vn('2026-03-02 09:00') : at(spec.received),
      dueAt: at(spec.due),
      finishedAt: at(spec.finished),
      returnedAt: at(spec.returned),
      refusedAt: at(spec.refused),
    },
    status: statusOf(spec.status),
    flags: { hasDigitisedComponents: spec.digitised ?? null, vneidVerified: spec.vneid ?? null, paidOnline: spec.paidOnline ?? null },
    databasesConsulted: spec.databases ?? [],
    documents: [doc],
    fees: spec.fee ? [{ name: 'Lệ phí', code: 'LP', collection: '1', amount: String(spec.fee), type: '1' }] : [],
    otherAttachments: [],
    supplementRequests: (spec.supplements ?? []).map((s, i) => ({
      id: `bs${i}`,
      requestedBy: null,
      content: 'Bổ sung',
      requestedAt: vn(s.requested),
      receivedBy: null,
      receiptInfo: null,
      receivedAt: at(s.resubmitted),
      done: s.resubmitted !== null,
      documents: [],
      fees: [],
      previousDueAt: null,
      newDueAt: at(s.newDue),
    })),
    results: spec.eResult ? [{ name: 'Kết quả', componentCode: 'KQ', fileId: 'k1', url: 'https://example.invalid/k1', resultCode: 'KQ-1' }] : [],
    progress: (spec.progress ?? []).map(([status, local]) => ({
      handler: 'Cán bộ',
      title: null,
      at: vn(local),
      department: null,
      action: 'Xử lý',
      status,
      startedAt: null,
      dueAt: null,
    })),
    warnings: [],
  };
  // The builder must only ever produce dossiers the pipeline could have stored.
  return DossierSchema.parse(dossier);
}
