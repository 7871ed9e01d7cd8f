/**
 * The phone reader behind every 電話する button (src/text/phone.ts): a field printed with two numbers
 * dials two numbers, never their concatenation; every phone printed in knowledge/desks/*.yaml reads
 * as numbers of valid length whose digits are the printed ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parsePhones, validPhoneDigits } from '../src/text/phone.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/knowledge/load.ts';

const digits = (s: string) => s.replace(/\D/g, '');

describe('parsePhones', () => {
  it('reads an area code in brackets and circled numbers as two numbers', () => {
    expect(parsePhones('(083) ①222-6225 ②223-2251')).toEqual([
      { number: '083-222-6225', tel: 'tel:083-222-6225' },
      { number: '083-223-2251', tel: 'tel:083-223-2251' },
    ]);
  });
  it('reads one printed number, in full-width digits or with its area code in brackets', () => {
    expect(parsePhones('083-933-3180').map((n) => n.tel)).toEqual(['tel:083-933-3180']);
    expect(parsePhones('０８３－９３３－３１８０').map((n) => n.tel)).toEqual(['tel:083-933-3180']);
    expect(parsePhones('(083) 933-3180').map((n) => n.tel)).toEqual(['tel:083-933-3180']);
    expect(parsePhones('083(933)3180').map((n) => n.number)).toEqual(['083-933-3180']);
  });
  it('carries the first groups over to a second number printed short, and keeps 内線 apart', () => {
    expect(parsePhones('0836-65-2129・2130').map((n) => n.number)).toEqual(['0836-65-2129', '0836-65-2130']);
    expect(parsePhones('083-933-3180、933-3181').map((n) => n.number)).toEqual(['083-933-3180', '083-933-3181']);
    expect(parsePhones('083-933-3180（内線 1234）')).toEqual([{ number: '083-933-3180', tel: 'tel:083-933-3180', ext: '1234' }]);
    expect(parsePhones('03-3501-1511 内線5281')).toEqual([{ number: '03-3501-1511', tel: 'tel:03-3501-1511', ext: '5281' }]);
  });
  it('offers no link for what is not a number of the numbering plan', () => {
    for (const bad of ['', '12345', '083-933', '083-933-31800-1', 'ダイヤル番号3143', '090-123-4567']) expect(parsePhones(bad)).toEqual([]);
    expect(parsePhones(undefined)).toEqual([]);
    expect(validPhoneDigits('0120123456')).toBe(true);
    expect(validPhoneDigits('09012345678')).toBe(true);
    expect(validPhoneDigits('0901234567')).toBe(false);
  });
  it('is linear on long junk', () => {
    const junk = '0-'.repeat(50_000) + '①'.repeat(10_000);
    const t = performance.now();
    parsePhones(junk);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('every phone printed in knowledge/desks/*.yaml', () => {
  const dir = join(DEFAULT_KNOWLEDGE_DIR, 'desks');
  const phones: { file: string; id: string; phone: string }[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) {
      const data = doc.toJS() as unknown;
      const recs = Array.isArray(data) ? data : ((data as { records?: unknown[] } | null)?.records ?? []);
      for (const r of recs as { id?: string; phone?: unknown }[]) if (typeof r?.phone === 'string') phones.push({ file: f, id: r.id ?? '?', phone: r.phone });
    }
  }

  it('finds the printed phones', () => {
    expect(phones.length).toBeGreaterThan(50);
  });

  it('reads each as valid numbers made of the printed digits, one per printed number', () => {
    for (const p of phones) {
      const nums = parsePhones(p.phone);
      expect(nums.length, `${p.file} ${p.id}: ${p.phone}`).toBeGreaterThan(0);
      for (const n of nums) {
        expect(validPhoneDigits(digits(n.number)), `${p.id}: ${n.number}`).toBe(true);
        expect(n.tel).toBe(`tel:${n.number}`);
        // the last groups are printed as they are dialled (a carried area code only adds in front)
        expect(digits(p.phone.normalize('NFKC'))).toContain(digits(n.number).slice(-7));
      }
      // a field of one number dials exactly its digits; never a concatenation of several
      if (nums.length === 1) expect(digits(nums[0]!.number)).toBe(digits(p.phone.normalize('NFKC')).replace(/^(\d{10,11}).*$/, '$1'));
      for (const n of nums) expect(digits(n.number).length).toBeLessThanOrEqual(11);
    }
  });
});
