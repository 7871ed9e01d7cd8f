import { describe, expect, it } from 'vitest';
import { classify } from '../src/eligibility/classify.ts';
import { businessFields, findFields } from '../src/eligibility/fields.ts';
import { matchPrograms } from '../src/eligibility/match.ts';
import type { Profile } from '../src/eligibility/profile.ts';
import { checkIntegrity } from '../src/knowledge/check.ts';
import { fixtureKb, realKb } from './helpers/engine-fixture.ts';

const kb = fixtureKb();
const run = (p: Profile) => matchPrograms(kb, p, classify(kb, { industry: p.industry, employees: p.employees, capital: p.capital }));
const names = (xs: { program: { name: string } }[]) => xs.map((x) => x.program.name);
const KASOKU = 'やまぐち産業イノベーション加速化補助金';
const SAISEI = 'やまぐち再生医療等実用化・産業化推進補助金';
const BUZAI = '部材開発推進補助金（半導体・蓄電池分野）';

describe('技術・産業分野 in a message', () => {
  it('finds fields by label or keyword, the longest word first', () => {
    expect(findFields(kb, '環境・エネルギー分野の新素材を共同研究したい')).toEqual(['環境・エネルギー']);
    expect(findFields(kb, '半導体向けの部材と、再生医療の装置')).toEqual(['半導体・蓄電池', '再生医療']);
    // 「宇宙データ」 is the satellite-data field only; 「宇宙」 alone names both space fields
    expect(findFields(kb, '宇宙データを使ったサービス')).toEqual(['宇宙利用・衛星データ']);
    expect(findFields(kb, '宇宙関連の部品')).toEqual(['航空機・宇宙機器', '宇宙利用・衛星データ']);
  });
  it('an ASCII keyword must stand alone (AI, not the ai of email); no field → []', () => {
    expect(findFields(kb, 'AIで検品を自動化')).toEqual(['IoT・AI・データ']);
    expect(findFields(kb, 'emailで受注しています')).toEqual([]);
    expect(findFields(kb, '飲食店をやっています')).toEqual([]);
    expect(findFields(kb, '')).toEqual([]);
  });
  it('a business belongs to the wider field too, and a purpose can imply a field', () => {
    expect([...businessFields(kb, { fields: ['再生医療'] })!].sort()).toEqual(['再生医療', '医療・ヘルスケア'].sort());
    expect([...businessFields(kb, { purpose: 'DX・IT' })!]).toEqual(['IoT・AI・データ']);
    expect(businessFields(kb, { purpose: '研究開発' })).toBeNull();
  });
});

describe('matching field-limited programmes', () => {
  const rd: Profile = { purpose: '研究開発', industry: '製造業', employees: 80 };
  it('excludes a programme of another field and includes one of the business’s own field', () => {
    const env = run({ ...rd, fields: ['環境・エネルギー'] });
    expect(names(env.matches)).toContain(KASOKU);
    expect(names(env.matches)).not.toContain(SAISEI);
    expect(names(env.matches)).not.toContain(BUZAI);
    const kasoku = env.matches.find((m) => m.program.name === KASOKU)!;
    expect(kasoku.reasons.join()).toMatch(/対象分野（環境・エネルギー、医療・ヘルスケア、バイオ）に該当/);
    const regen = run({ ...rd, fields: ['再生医療'] });
    expect(names(regen.matches)).toEqual(expect.arrayContaining([SAISEI, KASOKU])); // 再生医療 ⊂ 医療・ヘルスケア
    expect(names(regen.matches)).not.toContain(BUZAI);
    expect(regen.misses.find((m) => m.program.name === BUZAI)?.excludedBy).toBe('半導体・蓄電池分野の事業が対象です');
  });
  it('with the field unknown a field-limited programme is not suggested but is a close miss with the field', () => {
    const r = run(rd);
    expect(names(r.matches)).not.toEqual(expect.arrayContaining([KASOKU]));
    expect(names(r.matches)).toContain('受託・共同研究事業');
    const why = Object.fromEntries(r.misses.map((m) => [m.program.name, m.excludedBy]));
    expect(why[SAISEI]).toBe('再生医療分野の事業が対象です');
    expect(why[KASOKU]).toBe('環境・エネルギー、医療・ヘルスケア、バイオ分野の事業が対象です');
    // 「その他の分野」: none of the listed fields
    expect(names(run({ ...rd, fields: [] }).matches)).not.toContain(KASOKU);
  });
  it('a purpose that implies the field (DX・IT → IoT・AI・データ) matches without asking', () => {
    expect(names(run({ purpose: 'DX・IT' }).matches)).toContain('やまぐちIoT導入サポーター派遣事業');
    expect(names(run({ purpose: '研究開発' }).matches)).not.toContain('やまぐちIoT導入サポーター派遣事業');
  });
});

describe('knowledge check of fields', () => {
  it('reports a programme field that is not in fields.yaml', () => {
    const bad = structuredClone(kb.programs.find((p) => p.id === 'buzai-handotai')!);
    bad.eligibility!.fields = ['半導体と蓄電池'];
    const kb2 = { ...kb, records: kb.records.map((r) => (r.id === bad.id ? bad : r)), origin: new Map() };
    kb2.origin.set(bad.id, kb.origin.get(bad.id)!);
    const problems = checkIntegrity(kb2, new Map());
    expect(problems.map((p) => p.message)).toContain('buzai-handotai: unknown field "半導体と蓄電池" (not a label of knowledge/fields.yaml)');
  });
  it.skipIf(!realKb())('every field of the real catalogue is in knowledge/fields.yaml and the g18 subsidies are tagged', () => {
    const real = realKb()!;
    const labels = new Set(real.fields.fields.map((f) => f.label));
    const used = real.programs.flatMap((p) => p.eligibility?.fields ?? []);
    expect(used.length).toBeGreaterThan(20);
    for (const f of used) expect(labels).toContain(f);
    const byName = (n: string) => real.programs.find((p) => p.name === n)?.eligibility?.fields;
    expect(byName(SAISEI)).toEqual(['再生医療']);
    expect(byName(BUZAI)).toEqual(['半導体・蓄電池']);
  });
});
