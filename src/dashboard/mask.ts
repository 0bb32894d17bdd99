/**
 * What a viewer may see of a dossier: citizen ID numbers, phones, faxes and e-mail addresses
 * masked, in the applicant's fields and in free text (a summary may quote a CCCD number).
 */
import type { Dossier } from '../../schemas/dossier.ts';

/** 9–12 digit runs (CMND, CCCD, phones) and +84 phones; dossier codes (with dots or letters) are left alone. */
const DIGITS = /(?<![\w.+-])(?:\+84\d{9,10}|\d{9,12})(?![\w.-])/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/**
 * Keeps the last three characters of a number, the first letter and the domain of an address.
 *
 * @example
 * maskValue('079123456789') // '*********789'
 * maskValue('an.nguyen@example.vn') // 'a***@example.vn'
 */
export function maskValue(value: string): string {
  if (value.includes('@')) return value.replace(EMAIL, '$1***@$2');
  return value.length <= 3 ? '***' : '*'.repeat(value.length - 3) + value.slice(-3);
}

/**
 * @example maskText('CCCD 079123456789, gọi 0912345678') // 'CCCD *********789, gọi *******678'
 */
export function maskText(text: string): string {
  return text.replace(EMAIL, '$1***@$2').replace(DIGITS, (m) => maskValue(m));
}

const maybe = (v: string | null, f: (s: string) => string): string | null => (v === null || v === '' ? v : f(v));

/**
 * A copy of the dossier as a viewer sees it.
 *
 * @example
 * maskCitizenData(dossier).applicant.idNumber // '*********789'
 */
export function maskCitizenData(dossier: Dossier): Dossier {
  const a = dossier.applicant;
  return {
    ...dossier,
    applicant: {
      ...a,
      idNumber: maybe(a.idNumber, maskValue),
      phone: maybe(a.phone, maskValue),
      fax: maybe(a.fax, maskValue),
      email: maybe(a.email, maskValue),
      identifiers: a.identifiers.map((i) => ({ ...i, number: maybe(i.number, maskValue) })),
    },
    summary: maskText(dossier.summary),
    otherInfo: maybe(dossier.otherInfo, maskText),
    note: maybe(dossier.note, maskText),
    returnInfo: maybe(dossier.returnInfo, maskText),
    progress: dossier.progress.map((p) => ({ ...p, action: maskText(p.action) })),
  };
}
