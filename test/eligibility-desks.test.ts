import { describe, expect, it } from 'vitest';
import { findPlace, localDesks, needsArea, specialisedDesks } from '../src/eligibility/desks.ts';
import { fixtureKb, realKb } from './helpers/engine-fixture.ts';

const kb = fixtureKb();
const first = (m: string, a: string | null = null) => localDesks(kb, m, a).desks[0]?.name;

describe('local 商工会議所/商工会 (fixture: 004 L27 山口市 areas)', () => {
  it('山口市: 阿知須・秋穂・阿東 → 山口県央商工会, 徳地 → 徳地商工会, 湯田温泉 → 山口商工会議所', () => {
    expect(first('山口市', '阿知須')).toBe('山口県央商工会');
    expect(first('山口市', '秋穂二島')).toBe('山口県央商工会');
    expect(first('山口市', '阿東地域')).toBe('山口県央商工会');
    expect(first('山口市', '徳地')).toBe('徳地商工会');
    expect(first('山口市', '湯田')).toBe('山口商工会議所');
  });
  it('without an area every desk of the 市町 is listed, the default first', () => {
    const r = localDesks(kb, '山口市');
    expect(r.decided).toBeNull();
    expect(r.desks.map((d) => d.name)).toEqual(['山口商工会議所', '山口県央商工会', '徳地商工会']);
  });
  it('a locality printed in a desk address decides (周南市須々万 → 都濃商工会)', () => {
    const r = localDesks(kb, '周南市', '須々万');
    expect(r).toMatchObject({ decidedBy: 'address' });
    expect(r.desks[0].name).toBe('都濃商工会');
  });
  it('the area question is needed only with more than one desk', () => {
    expect(needsArea(kb, '山口市')).toBe(true);
    expect(needsArea(kb, '美祢市')).toBe(false);
    expect(localDesks(kb, '美祢市').decided?.name).toBe('美祢市商工会');
    expect(localDesks(kb, '東京都').desks).toEqual([]);
  });
  it('finds 市町 and locality in text: 「周南市熊毛」「阿知須で」「山口市在住」', () => {
    expect(findPlace(kb, '周南市熊毛です')).toEqual({ municipality: '周南市', area: '熊毛' });
    expect(findPlace(kb, '阿知須で飲食店')).toEqual({ municipality: '山口市', area: '阿知須' });
    expect(findPlace(kb, '山口市在住で')).toEqual({ municipality: '山口市', area: null });
    expect(findPlace(kb, '大阪市')).toBeNull();
  });
  it('specialised desk by purpose: 事業承継 → 承継センター, 経営改善・再生 → 活性化協議会, 知財 → 知財総合支援窓口', () => {
    expect(specialisedDesks(kb, '事業承継')[0].name).toBe('山口県事業承継・引継ぎ支援センター');
    expect(specialisedDesks(kb, '経営改善・再生')[0].name).toBe('山口県中小企業活性化協議会');
    expect(specialisedDesks(kb, '知財')[0].name).toBe('山口県知財総合支援窓口');
    expect(specialisedDesks(kb, null)).toEqual([]);
  });
});

describe.runIf(realKb() !== null && realKb()!.areas.length > 0)('real knowledge (004 and 001 L3390-3426)', () => {
  it('routes 山口市 areas and the dev routing places', () => {
    const k = realKb()!;
    const top = (m: string, a: string | null) => localDesks(k, m, a).desks[0]?.name;
    expect(top('山口市', '阿知須')).toBe('山口県央商工会');
    expect(top('山口市', '徳地')).toBe('徳地商工会');
    expect(top('山口市', '湯田温泉')).toBe('山口商工会議所');
    expect(top('周南市', '須々万')).toBe('都濃商工会');
    expect(top('岩国市', '周東町')).toBe('岩国西商工会');
    expect(top('田布施町', null)).toBe('田布施町商工会');
  });
});
