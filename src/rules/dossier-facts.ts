/**
 * Per-dossier facts behind the rates of Biểu 06 and the 766 indicators (rules.md §10.3, §11;
 * portal-contract.md §8.1). Each reads only synced fields, so the portal would see the same.
 */
import type { Dossier } from '../../schemas/dossier.ts';

/** 4.2: HoSoCoThanhPhanSoHoa = 1, or a live TaiLieuNop item with DuocSoHoa. */
export function hasDigitisedComponents(d: Dossier): boolean {
  return d.flags.hasDigitisedComponents === true || d.documents.some((doc) => doc.digitised === true && doc.deleted !== true);
}

/** 4.1: a result with a file link (DuongDanTepTinKetQua). */
export function hasResultFile(d: Dossier): boolean {
  return d.results.some((r) => !!r.url);
}

/** 3.3: an electronic result in the strict sense, result code and link (MaGiayToKetQua + link). */
export function hasElectronicResult(d: Dossier): boolean {
  return d.results.some((r) => !!r.url && !!r.resultCode);
}

/** 4.3: at least one submitted document reused (DuocTaiSuDung 1, or 2 via a replacement result). */
export function reusesDigitisedData(d: Dossier): boolean {
  return d.documents.some((doc) => doc.deleted !== true && (doc.reuse === '1' || doc.reuse === '2'));
}

/** 4.4: a document taken from the citizen's store on DVCQG (DuocLayTuKhoDMQG). */
export function usesPersonalStore(d: Dossier): boolean {
  return d.documents.some((doc) => doc.deleted !== true && doc.fromPersonalStore === true);
}

/**
 * 4.5b: VNeID-verified account, personal-store document, or a consulted database whose MaCSDL
 * is the population database. That code list is not public (portal-contract.md §4), so callers
 * pass the codes they know.
 */
export function usesPopulationData(d: Dossier, populationDbCodes: ReadonlySet<string>): boolean {
  return d.flags.vneidVerified === true || usesPersonalStore(d) || d.databasesConsulted.some((c) => c !== null && populationDbCodes.has(c));
}

/** 3.6 denominator: a non-zero fee line (DanhSachLePhi). */
export function hasFinancialObligation(d: Dossier): boolean {
  return d.fees.some((f) => f.amount !== null && Number(f.amount) > 0);
}

/** 3.6 numerator: paid online on DVCQG (1) or the local payment gateway (2). */
export function paidOnline(d: Dossier): boolean {
  return d.flags.paidOnline === '1' || d.flags.paidOnline === '2';
}
