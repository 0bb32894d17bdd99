/**
 * Why a record was quarantined, in Vietnamese for the dashboard's pages. The validators and
 * adapters word their issues in English for logs and the API (which keeps them); this turns the
 * known phrasings into Vietnamese and keeps anything unknown as it is (names of fields, values and
 * codes are never translated).
 */
const TYPES: Record<string, string> = { undefined: 'không có', null: 'rỗng (null)', number: 'số', boolean: 'giá trị đúng/sai', object: 'đối tượng', array: 'mảng', string: 'chuỗi ký tự' };
const type = (t: string) => TYPES[t] ?? t;

const RULES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^required \(empty\)$/, () => 'bắt buộc, đang để trống'],
  [/^required$/, () => 'bắt buộc, đang thiếu'],
  [/^expected a yyyyMMddHHmmss string, got (\w+)$/, (m) => `phải là ngày giờ dạng yyyyMMddHHmmss, đang là ${type(m[1] as string)}`],
  [/^not a yyyyMMddHHmmss date: (".*")$/, (m) => `không phải ngày giờ dạng yyyyMMddHHmmss: ${m[1]}`],
  [/^expected a string, got (\w+)$/, (m) => `phải là chuỗi ký tự, đang là ${type(m[1] as string)}`],
  [/^expected an array$/, () => 'phải là một danh sách (mảng)'],
  [/^expected (?:a JSON object|an object), got (\w+)$/, (m) => `phải là một đối tượng JSON, đang là ${type(m[1] as string)}`],
  [/^longer than (\d+) characters \((\d+)\)$/, (m) => `dài quá ${m[1]} ký tự (${m[2]} ký tự)`],
  [/^(".*") is not one of (.*)$/, (m) => `${m[1]} không thuộc các giá trị cho phép: ${m[2]}`],
  [/^not an amount: (".*")$/, (m) => `không phải số tiền: ${m[1]}`],
  [/^(".*") differs from the dossier's MaHoSo (".*")$/, (m) => `${m[1]} khác mã hồ sơ ${m[2]} của hồ sơ`],
  [/^is nested deeper than (\d+) levels: the record is quarantined$/, (m) => `lồng nhau sâu quá ${m[1]} cấp nên bản ghi bị cách ly`],
  [
    /^local status (".*?")(?: \(sub-status (".*?")\))? has no national code: add it to (\S+)(?: \(or (\S+)\))?$/,
    (m) => `trạng thái ${m[1]}${m[2] ? ` (trạng thái con ${m[2]})` : ''} của hệ thống một cửa chưa có mã trạng thái quốc gia: thêm vào ${m[3]}${m[4] ? ` (hoặc ${m[4]})` : ''}`,
  ],
  [/^local unit code (".*") has no official unit code: add it to (\S+)$/, (m) => `mã đơn vị ${m[1]} của hệ thống một cửa chưa có mã đơn vị chính thức: thêm vào ${m[2]}`],
  [/^line (\d+) is not valid JSON: .*$/, (m) => `dòng ${m[1]} không phải JSON hợp lệ`],
  [/^file is not valid JSON: .*$/, () => 'tệp không phải JSON hợp lệ'],
];

/**
 * @example issueTextVi('required (empty)') // 'bắt buộc, đang để trống'
 * issueTextVi('NgayHenTra: not a yyyyMMddHHmmss date: "30/10/2026 17:00"') // 'NgayHenTra: không phải ngày giờ dạng yyyyMMddHHmmss: "30/10/2026 17:00"'
 */
export function issueTextVi(message: string): string {
  // Messages may lead with the field they are about ("NgayHenTra: …"); keep it, translate the rest.
  const lead = /^([A-Za-z_$][\w$.[\]]*): (.*)$/s.exec(message);
  if (lead && !RULES.some(([re]) => re.test(message))) {
    const rest = issueTextVi(lead[2] as string);
    return rest === lead[2] ? message : `${lead[1]}: ${rest}`;
  }
  for (const [re, say] of RULES) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
}
