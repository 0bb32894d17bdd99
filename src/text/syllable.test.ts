import { describe, expect, it } from 'vitest';
import { isVietnameseSyllable } from './syllable.ts';
import { scoreText } from './score.ts';

describe('isVietnameseSyllable', () => {
  it.each([
    'a', 'ở', 'Việt', 'NAM', 'nghiêng', 'nghĩa', 'người', 'khuya', 'khuỷu', 'quốc', 'quyền', 'quen', 'quýt',
    'gì', 'gìn', 'giếng', 'giữ', 'kỹ', 'ký', 'ghế', 'yêu', 'yết', 'tiếng', 'thuở', 'hoàng', 'hoạch', 'ngoặc',
    'khoẻ', 'khỏe', 'xoong', 'chuyện', 'huỳnh', 'rượu', 'ếch', 'bệnh', 'đặt', 'lớp', 'học', 'sách', 'Đắng',
  ])('accepts %s', (word) => {
    expect(isVietnameseSyllable(word)).toBe(true);
  });

  it.each([
    ['Céng', 'c is written k before e'],
    ['kan', 'k only before i, e, ê, y'],
    ['ghà', 'gh only before i, e, ê'],
    ['ngià', 'ng is written ngh before i'],
    ['hßa', 'ß is not a Vietnamese letter'],
    ['Vieät', 'ä is not a Vietnamese letter'],
    ['héi', 'ei is not a rhyme'],
    ['chñ', 'no vowel'],
    ['ñi', 'a tone on a consonant'],
    ['hoàá', 'two tones'],
    ['hoc', 'a stop ending takes sắc or nặng'],
    ['hoàc', 'a stop ending takes sắc or nặng'],
    ['iên', 'iê needs an onset; alone it is yê'],
    ['tyên', 'yê takes no onset'],
    ['qu', 'qu needs a vowel after it'],
    ['John', 'j is not a Vietnamese letter'],
    ['Report', 'not a syllable'],
    ['x·', 'a middle dot'],
  ])('rejects %s (%s)', (word) => {
    expect(isVietnameseSyllable(word)).toBe(false);
  });

  it('accepts NFD input and words typed without diacritics when asked', () => {
    expect(isVietnameseSyllable('Nghiêng'.normalize('NFD'))).toBe(true);
    expect(isVietnameseSyllable('Viet', { plain: true })).toBe(true);
    expect(isVietnameseSyllable('Viet')).toBe(false);
  });
});

describe('scoreText', () => {
  it('counts valid and invalid words, ASCII apart, acronyms and one-letter words not at all', () => {
    expect(scoreText('Céng hßa x· héi, UBND Report Nam 1 à')).toEqual({ good: 0, bad: 4, asciiGood: 1, asciiBad: 1 });
    expect(scoreText('Cộng hòa xã hội')).toEqual({ good: 4, bad: 0, asciiGood: 0, asciiBad: 0 });
  });

  it('glues the characters 1252 makes of bytes 0x80–0x9F into words only for suspected misreadings', () => {
    expect(scoreText('C—NG H’A').bad).toBe(0);
    expect(scoreText('C—NG H’A', { misread: true }).bad).toBe(2);
  });
});
