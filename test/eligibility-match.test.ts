import { describe, expect, it } from 'vitest';
import { classify } from '../src/eligibility/classify.ts';
import { checkProgram, countMatches, matchPrograms } from '../src/eligibility/match.ts';
import type { Profile } from '../src/eligibility/profile.ts';
import { fixtureKb } from './helpers/engine-fixture.ts';
import { loadKnowledgeOrThrow } from '../src/knowledge/load.ts';

const kb = fixtureKb();
const run = (p: Profile) => matchPrograms(kb, p, classify(kb, { industry: p.industry, employees: p.employees, capital: p.capital }));
const names = (xs: { program: { name: string } }[]) => xs.map((x) => x.program.name);

describe('programme matching', () => {
  it('an empty profile filters nothing but 組合-only and field-limited programmes; historical records are never suggested', () => {
    const r = run({});
    expect(names(r.matches)).not.toContain('まちなかにぎわい創出プロジェクト推進事業');
    expect(names(r.matches)).not.toContain('旧制度の活性化資金');
    const fieldLimited = kb.programs.filter((p) => p.status === 'current' && p.eligibility?.fields?.length);
    expect(fieldLimited.length).toBeGreaterThan(0);
    expect(r.matches.length).toBe(kb.programs.filter((p) => p.status === 'current').length - 1 - fieldLimited.length);
  });
  it('ranks programmes of the purpose first, each with why it matches', () => {
    const r = run({ purpose: '事業承継', industry: '飲食店', employees: 4, corporation: '個人事業主' });
    expect(names(r.matches).slice(0, 2)).toEqual(expect.arrayContaining(['事業承継・引継ぎ支援センター事業', '事業承継支援資金']));
    const loan = r.matches.find((m) => m.program.name === '事業承継支援資金')!;
    expect(loan.reasons.join()).toMatch(/中小企業者が対象で、該当/);
    expect(loan.reasons.join()).toMatch(/目的「事業承継」/);
  });
  it('close misses carry the one condition that excluded them (法人のみ, 従業員数, 創業前)', () => {
    const r = run({ purpose: '事業承継', industry: '飲食店', employees: 4, corporation: '個人事業主', stage: 'established' });
    const why = Object.fromEntries(r.misses.map((m) => [m.program.name, m.excludedBy]));
    expect(why['経営者保証免除促進資金']).toMatch(/対象は法人/);
    expect(why['新事業活動支援設備貸与事業資金']).toMatch(/従業員数の要件.*4人/);
    expect(names(r.matches)).not.toContain('経営者保証免除促進資金');
  });
  it('employee ranges apply per industry group (商業・サービス業 from 6人, others from 21人)', () => {
    const retail = run({ purpose: '設備投資', industry: '小売業', employees: 10 });
    const maker = run({ purpose: '設備投資', industry: '製造業', employees: 10 });
    expect(names(retail.matches)).toContain('新事業活動支援設備貸与事業資金');
    expect(names(maker.matches)).not.toContain('新事業活動支援設備貸与事業資金');
  });
  it('a named industry outside the list excludes (建設 vs 製造業・情報サービス業); one inside matches', () => {
    const p = kb.programs.find((x) => x.id === 'shogakukin-henkan-hojo')!;
    const ok = (industry: string) => checkProgram(kb, p, { industry }, classify(kb, { industry })).find((c) => c.field === 'industries')!.ok;
    expect(ok('建設会社')).toBe(false);
    expect(ok('食品製造')).toBe(true);
    expect(ok('飲食店')).toBe(false); // 小売業 group: neither listed industry is in it
    expect(ok('美容室')).toBeNull(); // サービス業 like 情報サービス業: cannot tell, so it does not filter
  });
  it('size, stage and municipality filters; unknown values do not filter', () => {
    expect(names(run({ purpose: 'DX・IT', municipality: '山口市', employees: 3, industry: '小売業' }).matches)).toContain('小規模事業者DX支援補助金');
    expect(names(run({ purpose: 'DX・IT', municipality: '周南市' }).matches)).not.toContain('小規模事業者DX支援補助金');
    expect(names(run({ purpose: 'DX・IT', municipality: '山口市', employees: 30, industry: '小売業' }).matches)).not.toContain('小規模事業者DX支援補助金');
    expect(names(run({ purpose: '創業', stage: 'established' }).matches)).toEqual([]);
    expect(names(run({ purpose: '創業' }).matches)).toEqual(expect.arrayContaining(['創業補助金', '移住創業支援金']));
  });
  it('countMatches agrees with matchPrograms', () => {
    const p: Profile = { purpose: '事業承継', corporation: '法人' };
    expect(countMatches(kb, p, classify(kb, {}))).toBe(run(p).matches.length);
  });
});

describe('a chamber’s own services (eligibility.servedBy) on the bundled knowledge', () => {
  const real = loadKnowledgeOrThrow();
  const runReal = (p: Profile) => matchPrograms(real, p, classify(real, { industry: p.industry, employees: p.employees, capital: p.capital }));
  const chamberOnly = real.programs.filter((p) => p.eligibility?.servedBy?.includes('cci-yamaguchi')).map((p) => p.name);

  it('serve a business in the chamber’s district (小郡), not one in 阿知須, whose desk is 山口県央商工会 (004 L27)', () => {
    expect(chamberOnly.length).toBeGreaterThan(0);
    const ogori = runReal({ purpose: '事業承継', industry: '飲食店', employees: 4, corporation: '個人事業主', municipality: '山口市', area: '小郡' });
    expect(names(ogori.matches).some((n) => chamberOnly.includes(n))).toBe(true);
    const ajisu = runReal({ purpose: '事業承継', industry: '飲食店', employees: 4, corporation: '個人事業主', municipality: '山口市', area: '阿知須' });
    expect(names(ajisu.matches).filter((n) => chamberOnly.includes(n))).toEqual([]);
    const miss = ajisu.misses.find((m) => chamberOnly.includes(m.program.name));
    expect(miss?.excludedBy).toMatch(/山口商工会議所の管内の事業者が対象です（阿知須は山口県央商工会の地区）/);
  });
});

describe('a budget that only continues earlier projects (eligibility.continuingOnly)', () => {
  it('is not suggested to a new applicant; asked 「対象外は？」, it says why', () => {
    const real = loadKnowledgeOrThrow();
    const keizoku = real.programs.filter((p) => p.eligibility?.continuingOnly);
    expect(keizoku.length).toBeGreaterThan(0);
    const r = matchPrograms(real, { purpose: '研究開発', industry: '製造業', employees: 80, corporation: '法人' }, classify(real, { industry: '製造業', employees: 80 }));
    for (const p of keizoku) expect(r.matches.map((m) => m.program.id)).not.toContain(p.id);
    const why = checkProgram(real, keizoku[0], { purpose: '研究開発' }, classify(real, { industry: '製造業', employees: 80 }));
    expect(why.find((c) => c.ok === false)?.text).toMatch(/^新規の申請は対象外です（令和4・5年度採択事業の継続分）$/);
  });
});
