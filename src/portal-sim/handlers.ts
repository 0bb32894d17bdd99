/**
 * What the simulated portal does with a call once transport, faults and the session are dealt
 * with. Answers follow contract §2.4 and fixture E: a 2xx `{error_code, message}` whose code says
 * whether the call was accepted.
 *
 * @example
 * // isUpdating "False" for a code the portal already holds:
 * { "error_code": "-3", "message": "Hồ sơ 000.20.38.H56-240402-0007 đã tồn tại" }
 */
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import type { SimState, StoredDossier } from './state.ts';
import type { SimOutcome, SimService } from './types.ts';
import { validateDossierList, validateProgressList } from './validate.ts';
import { overLongText, upperKeys } from './dialects.ts';

export interface SimAnswer {
  status: number;
  body: Record<string, unknown>;
  service: SimService;
  outcome: SimOutcome;
  /** True when the call changed the store (a lost-ack fault applies only then). */
  stored: boolean;
}

export const MSG_OK = 'Đồng bộ thành công';
export const MSG_SESSION = 'Phiên làm việc không hợp lệ hoặc đã hết hạn';

/** A 2xx answer whose body says the call failed (the portal's way). */
export function reject(service: SimService, errorCode: string, message: string, outcome: SimOutcome = 'rejected'): SimAnswer {
  return { status: 200, body: { error_code: errorCode, message }, service, outcome, stored: false };
}

/** Checks the unit code the call names (madonvi / MaDinhDanhDV). */
export function checkUnit(state: SimState, service: SimService, unit: unknown): SimAnswer | null {
  if (typeof unit !== 'string' || unit.trim() === '') return reject(service, '-2', 'Thiếu mã đơn vị (madonvi)');
  if (state.unitCode !== undefined && unit !== state.unitCode) {
    return reject(service, '-2', `Mã đơn vị ${unit} không được phép kết nối`);
  }
  return null;
}

/** `DongBoHoSoMC`: all records of the call are accepted, or none. */
export function pushDossiers(state: SimState, unit: string, isUpdating: unknown, data: unknown): SimAnswer {
  const service: SimService = 'DongBoHoSoMC';
  if (isUpdating !== 'True' && isUpdating !== 'False') {
    return reject(service, '-2', `isUpdating phải là "True" hoặc "False" (nhận được ${JSON.stringify(isUpdating) ?? 'undefined'})`);
  }
  const invalid = validateDossierList(data) ?? textLimits(state, data);
  if (invalid) return reject(service, '-2', invalid);
  const records = data as PortalDossier[];
  for (const r of records) state.dossierMap.get(r.MaHoSo)?.isUpdatingSeen.push(isUpdating);
  if (isUpdating === 'False') {
    const existing = records.find((r) => state.dossierMap.has(r.MaHoSo));
    if (existing) {
      const wording = state.has('exists-3') ? `Trùng mã hồ sơ ${existing.MaHoSo}` : `Hồ sơ ${existing.MaHoSo} đã tồn tại`;
      return reject(service, '-3', wording, 'exists');
    }
  }
  for (const r of records) {
    const known = state.dossierMap.get(r.MaHoSo);
    const stored: StoredDossier = known ?? {
      code: r.MaHoSo,
      unitCode: unit,
      record: r,
      pushes: 0,
      isUpdatingSeen: [isUpdating],
      progress: [],
      progressKeys: new Set(),
    };
    // "True" for an unknown code is accepted: the record simply replaces nothing.
    stored.record = structuredClone(r);
    stored.unitCode = unit;
    stored.pushes += 1;
    state.dossierMap.set(r.MaHoSo, stored);
  }
  return { status: 200, body: { error_code: '0', message: MSG_OK }, service, outcome: 'ok', stored: true };
}

/** The `text-limits` dialect: the first over-long text of the call, as the rejection message. */
function textLimits(state: SimState, data: unknown): string | null {
  if (!state.has('text-limits') || !Array.isArray(data)) return null;
  for (const [i, r] of data.entries()) {
    const hit = overLongText(r);
    if (hit) {
      const code = (r as { MaHoSo?: unknown }).MaHoSo;
      return `Dữ liệu không hợp lệ: hồ sơ ${typeof code === 'string' ? code : `data[${i}]`}: ${hit}`;
    }
  }
  return null;
}

/** `CapNhatTienDoHoSoMC`: every item must belong to a dossier already pushed. */
export function pushProgress(state: SimState, data: unknown): SimAnswer {
  const service: SimService = 'CapNhatTienDoHoSoMC';
  const invalid = validateProgressList(data) ?? textLimits(state, data);
  if (invalid) return reject(service, '-2', invalid);
  const items = data as PortalProgress[];
  const unknown = items.find((i) => !state.dossierMap.has(i.MaHoSo));
  if (unknown) return reject(service, '-4', `Hồ sơ ${unknown.MaHoSo} chưa được đồng bộ, không thể cập nhật tiến độ`, 'not_found');
  for (const item of items) {
    const d = state.dossierMap.get(item.MaHoSo);
    if (d) state.addProgress(d, structuredClone(item));
  }
  return { status: 200, body: { error_code: '0', message: 'Cập nhật tiến độ thành công' }, service, outcome: 'ok', stored: true };
}

/** `TraCuuHoSo`: the portal's view of one dossier, or an empty result. */
export function lookupDossier(state: SimState, code: unknown): SimAnswer {
  const service: SimService = 'TraCuuHoSo';
  if (typeof code !== 'string' || code === '') return reject(service, '-2', 'Thiếu mã hồ sơ (mahoso)');
  const d = state.dossierMap.get(code);
  if (!d) {
    return { status: 200, body: { error_code: 0, message: 'Không tìm thấy hồ sơ', result: [] }, service, outcome: 'not_found', stored: false };
  }
  const r = d.record;
  const item: Record<string, unknown> = {
    MaHoSo: r.MaHoSo,
    MaTTHC: r.MaTTHC,
    TrangThaiHoSo: r.TrangThaiHoSo,
    NgayTiepNhan: r.NgayTiepNhan,
    NgayHenTra: r.NgayHenTra ?? '',
    NgayKetThucXuLy: r.NgayKetThucXuLy ?? '',
    NgayTra: r.NgayTra ?? '',
    DonViXuLy: r.DonViXuLy,
    MaDonVi: d.unitCode,
    SoLanDongBo: String(d.pushes),
    SoTienDo: String(d.progress.length),
  };
  const result = [state.has('upper-keys') ? upperKeys(item) : item];
  return { status: 200, body: { error_code: 0, message: 'Thành công', result }, service, outcome: 'ok', stored: false };
}
