import { describe, expect, it } from 'vitest';
import { classify } from '../src/eligibility/classify.ts';
import { mapIndustry } from '../src/text/industry.ts';
import { fixtureKb, realKb } from './helpers/engine-fixture.ts';

const kb = fixtureKb();
const c = (industry: string | null, employees: number | null, capital: number | null = null) => classify(kb, { industry, employees, capital });

describe('中小企業者: 「○人以下又は○円以下」 at every boundary (fixture definitions, 001 L3160)', () => {
  const groups = [
    { industry: '製造業', heads: 300, capital: 3e8 },
    { industry: '卸売業', heads: 100, capital: 1e8 },
    { industry: 'サービス業', heads: 100, capital: 5e7 },
    { industry: '小売業', heads: 50, capital: 5e7 },
  ];
  for (const g of groups) {
    it(`${g.industry}: ${g.heads}人 is within, ${g.heads + 1}人 with capital over is not`, () => {
      expect(c(g.industry, g.heads, g.capital + 1).sme).toBe(true);
      expect(c(g.industry, g.heads + 1, g.capital + 1).sme).toBe(false);
    });
    it(`${g.industry}: capital exactly at the limit rescues employees over it; one yen more does not`, () => {
      expect(c(g.industry, g.heads + 1, g.capital).sme).toBe(true);
      expect(c(g.industry, g.heads + 1, g.capital + 1).sme).toBe(false);
    });
  }
  it('employees over but capital under → 中小企業者 (either criterion is enough)', () => {
    const r = c('自動車部品の製造', 301, 3e8);
    expect(r).toMatchObject({ sme: true, smallEnterprise: false, industryGroup: '製造業その他', basis: '中小企業基本法' });
    expect(r.reasons.join('\n')).toMatch(/301人.*超え/);
  });
  it('unknown capital (個人事業) is judged by employees alone', () => {
    expect(c('小売業', 51, null).sme).toBe(false);
    expect(c('小売業', 50, null).sme).toBe(true);
  });
});

describe('小規模企業者 (001 L3198): 20人 for 製造業・建設業等, 5人 for 商業・サービス業', () => {
  it.each([
    ['金属加工', 20, true],
    ['金属加工', 21, false],
    ['建設業', 20, true],
    ['飲食店', 5, true],
    ['飲食店', 6, false],
    ['美容室', 6, false],
    ['卸売業', 5, true],
  ])('%s with %i人 → %s', (industry, heads, small) => {
    expect(c(industry, heads).smallEnterprise).toBe(small);
  });
  it('a headcount range on one side of every boundary classifies like a number', () => {
    expect(classify(kb, { industry: '製造業', employees: { min: 6, max: 20 } }).smallEnterprise).toBe(true);
    expect(classify(kb, { industry: '製造業', employees: { min: 301, max: null } }).sme).toBe(false);
  });
});

describe('industry mapping comes from knowledge/industries.yaml', () => {
  it('飲食店 → 小売業, 旅館 → サービス業 (with its 政令特例 noted), 建設 → 製造業その他', () => {
    expect(mapIndustry(kb.industries, '飲食店')?.group).toBe('小売業');
    expect(mapIndustry(kb.industries, '旅館を経営')).toMatchObject({ group: 'サービス業', special: '旅館業' });
    expect(mapIndustry(kb.industries, '建設会社')?.group).toBe('製造業その他');
    expect(mapIndustry(kb.industries, 'ｶﾌｪ')?.group).toBe('小売業');
    expect(mapIndustry(kb.industries, '宇宙人')).toBeNull();
  });
  it('the 政令特例 of another law is reported where it changes the answer, without changing the 基本法 result', () => {
    const r = c('旅館', 150, 6e7);
    expect(r.sme).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/団体の組織に関する法律.*旅館業.*200人以下.*該当します/);
  });
  it('unknown industry: decided only where every group agrees', () => {
    expect(c(null, 3)).toMatchObject({ sme: true, smallEnterprise: true });
    expect(c(null, 60).sme).toBeNull();
    expect(c('宇宙人', 400, 4e8).sme).toBe(false);
  });
  it('no definitions → null with a reason, never an exception', () => {
    const empty = { ...kb, definitions: [] };
    expect(classify(empty, { industry: '製造業', employees: 3 })).toMatchObject({ sme: null, smallEnterprise: null });
  });
});

describe.runIf(realKb() !== null && realKb()!.definitions.length > 0)('real knowledge', () => {
  it('maps 飲食店→小売業, 旅館→サービス業, 建設→製造業その他 and classifies the README examples', () => {
    const kbr = realKb()!;
    expect(mapIndustry(kbr.industries, '飲食店')?.group).toBe('小売業');
    expect(mapIndustry(kbr.industries, '旅館')?.group).toBe('サービス業');
    expect(mapIndustry(kbr.industries, '建設業')?.group).toBe('製造業その他');
    expect(classify(kbr, { industry: 'ラーメン店', employees: 4 })).toMatchObject({ sme: true, smallEnterprise: true });
    expect(classify(kbr, { industry: '家電の小売', employees: 60, capital: 8e7 }).sme).toBe(false);
  });
});
