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

describe('ranking by fit and situational programmes (相談員 style)', () => {
  const base = { kind: 'program' as const, aliases: [], summary: '設備の導入を支援する。', fiscalYear: 2024, status: 'current' as const, source: { file: '001' as const, lines: [1, 1] as [number, number] }, desk: [] };
  const generic = { ...base, id: 'test-generic', name: 'テスト汎用設備補助', category: '補助金' as const, eligibility: { purposes: ['設備投資' as const] } };
  const small = {
    ...base,
    id: 'test-small',
    name: 'テスト小規模設備貸与',
    category: '設備貸与' as const,
    eligibility: { size: 'smallEnterprise' as const, employees: [{ max: 20, text: '原則 20 名以下' }], purposes: ['設備投資' as const] },
  };
  const siting = { ...base, id: 'test-siting', name: 'テスト立地補助金', category: '補助金' as const, eligibility: { purposes: ['設備投資' as const], situations: [{ label: '企業立地', text: '企業立地に係る設備投資' }] } };
  const child = { ...base, id: 'test-siting-child', parent: 'test-siting', name: 'テスト立地補助金（雇用）', category: '補助金' as const };
  const situations = { situations: [{ label: '企業立地', condition: '新規の企業立地', keywords: ['工場を新設'], industries: [], purposes: [], municipalities: [] }] };
  const programs = [generic, small, siting, child];
  const kb2 = { ...kb, programs, situations, byId: new Map([...kb.byId, ...programs.map((p) => [p.id, p] as const)]) } as typeof kb;
  const run2 = (p: Profile) => matchPrograms(kb2, p, classify(kb2, { industry: p.industry, employees: p.employees, capital: p.capital }));
  const maker: Profile = { purpose: '設備投資', industry: '製造業', employees: 8, corporation: '法人' };

  it('a programme whose size rule the business meets outranks a generic one with the same purpose, and says why', () => {
    const r = run2(maker);
    const order = names(r.matches);
    expect(order.indexOf('テスト小規模設備貸与')).toBeLessThan(order.indexOf('テスト汎用設備補助'));
    const why = r.matches.find((m) => m.program.id === 'test-small')!.reasons.join('／');
    expect(why).toMatch(/小規模企業者が対象で、該当します/);
    expect(why).toMatch(/従業員数の要件（原則 20 名以下）を満たします/);
    // a business over the size rule does not get it: the generic one is then the answer
    const big = run2({ ...maker, employees: 60 });
    expect(names(big.matches)).not.toContain('テスト小規模設備貸与');
    expect(names(big.matches)).toContain('テスト汎用設備補助');
  });

  it('a situational programme is held back, with its condition, unless the user says the situation applies', () => {
    const r = run2(maker);
    expect(names(r.matches)).not.toContain('テスト立地補助金');
    expect(names(r.matches)).not.toContain('テスト立地補助金（雇用）'); // a scheme carries its 事業's situation
    const miss = r.misses.find((m) => m.program.id === 'test-siting')!;
    expect(miss.field).toBe('situations');
    expect(miss.excludedBy).toMatch(/新規の企業立地向けです.*企業立地に係る設備投資/);
    const declared = run2({ ...maker, words: '県内に工場を新設したい' });
    const m = declared.matches.find((x) => x.program.id === 'test-siting')!;
    expect(m.reasons.join()).toMatch(/新規の企業立地向けの支援で、該当します/);
    expect(names(declared.matches)).toContain('テスト立地補助金（雇用）');
  });
});

describe('real knowledge: a small manufacturer in 防府市 that wants new equipment', () => {
  const real = loadKnowledgeOrThrow();
  const p: Profile = { purpose: '設備投資', industry: '部品加工', employees: 8, corporation: '法人', municipality: '防府市' };
  const r = matchPrograms(real, p, classify(real, { industry: p.industry, employees: p.employees }));
  it('sees 小規模企業者等設備貸与事業資金 first, not programmes for a new plant or another region', () => {
    expect(r.matches[0].program.name).toBe('小規模企業者等設備貸与事業資金');
    const top = names(r.matches.slice(0, 5));
    expect(top).not.toContain('企業立地促進補助金');
    expect(names(r.matches)).not.toContain('東部地域企業誘致加速補助金');
    expect(names(r.misses)).toContain('企業立地促進補助金');
  });
});
