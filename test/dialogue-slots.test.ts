import { describe, expect, it } from 'vitest';
import { loadDialogueData } from '../src/dialogue/data.ts';
import { extractSlots, kanjiNumbers, parseSlot } from '../src/dialogue/slots.ts';
import { fixtureKb } from './helpers/engine-fixture.ts';

const data = loadDialogueData();
const kb = fixtureKb();
const slot = (name: string) => data.flow.slots.find((s) => s.name === name)!;
const parse = (name: string, text: string, answers: Record<string, unknown> = {}) => parseSlot({ kb, flow: data.flow, answers }, slot(name), text, true);
const value = (name: string, text: string, answers: Record<string, unknown> = {}) => {
  const r = parse(name, text, answers);
  return r.status === 'ok' ? r.answer.value : r.status;
};

describe('free answers', () => {
  it('headcounts: 「２５人」「25」「二十五名」「四人」「自分だけ」, a range button', () => {
    expect(value('employees', '２５人')).toBe(25);
    expect(value('employees', '25')).toBe(25);
    expect(value('employees', '二十五名です')).toBe(25);
    expect(value('employees', '四人')).toBe(4);
    expect(value('employees', '自分だけ')).toBe(0);
    expect(value('employees', '6〜20人（該当12件）')).toEqual({ min: 6, max: 20 });
    expect(value('employees', 'たくさん')).toBe('invalid');
  });
  it('capital: 「5千万円」「3億」「1000万」「なし」', () => {
    expect(value('capital', '5千万円')).toBe(5e7);
    expect(value('capital', '3億')).toBe(3e8);
    expect(value('capital', '資本金は1000万です')).toBe(1e7);
    expect(value('capital', 'なし')).toBeNull();
    expect(value('capital', '3000')).toBe('invalid');
  });
  it('「わからない」 leaves any slot open', () => {
    for (const s of ['industry', 'employees', 'capital', 'municipality', 'purpose', 'stage', 'corporation']) expect(parse(s, 'わからない').status).toBe('unknown');
    expect(parse('employees', '分かりません').status).toBe('unknown');
  });
  it('市町 with a locality: 「周南市熊毛」 fills area too; unknown places are invalid', () => {
    const r = parse('municipality', '周南市熊毛');
    expect(r).toMatchObject({ status: 'ok', answer: { value: '周南市' }, also: { area: { value: '熊毛' } } });
    expect(value('municipality', '大阪市')).toBe('invalid');
    expect(value('area', '阿知須のほうです', { municipality: '山口市' })).toBe('阿知須');
  });
  it('choices by words: 「個人でやってます」→個人事業主, 「株式会社です」→法人, 「息子に継がせたい」→事業承継', () => {
    expect(value('corporation', '個人でやってます')).toBe('個人事業主');
    expect(value('corporation', '株式会社です')).toBe('法人');
    expect(value('purpose', '息子に継がせたい')).toBe('事業承継');
    expect(value('purpose', '通販で首都圏に売りたい')).toBe('販路開拓');
  });
  it('stage from years: 「3年目」→創業5年未満, 「創業10年」→それ以降, 「これから開業」→創業前', () => {
    expect(value('stage', '3年目')).toBe('startup');
    expect(value('stage', '創業10年')).toBe('established');
    expect(value('stage', 'これから開業します')).toBe('pre-startup');
    expect(value('stage', '五年目')).toBe('startup'); // in the 5th year: 4 years since founding
    expect(value('stage', '六年目')).toBe('established');
  });
  it('industries: a keyword gives the phrase, a button gives its industry', () => {
    expect(value('industry', 'うちは建設会社です')).toBe('建設会社');
    expect(value('industry', '製造業（該当10件）')).toBe('製造業');
    expect(value('industry', 'ほげほげ')).toBe('invalid');
  });
  it('fields: a label or keyword of fields.yaml (several when named), 「その他の分野」→[], nothing known → invalid', () => {
    expect(value('field', '環境・エネルギー（該当3件）')).toEqual(['環境・エネルギー']);
    expect(value('field', '医療とバイオです')).toEqual(['医療・ヘルスケア', 'バイオ']);
    expect(value('field', 'その他の分野')).toEqual([]);
    expect(value('field', 'どれでもない')).toEqual([]);
    expect(value('field', 'わからない')).toBe('unknown');
    expect(value('field', 'たくさん')).toBe('invalid');
  });
  it('kanji numerals before 人/名/年 become digits', () => {
    expect(kanjiNumbers('従業員は十二人、創業三十年')).toBe('従業員は12人、創業30年');
  });
});

describe('one-shot extraction', () => {
  it('「山口市阿知須で飲食店、従業員4人。店を息子に継がせたい」 fills every slot it names', () => {
    const found = extractSlots({ kb, flow: data.flow, answers: {} }, '山口市阿知須で飲食店、従業員4人。店を息子に継がせたい');
    expect(Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.value]))).toEqual({
      municipality: '山口市',
      area: '阿知須',
      industry: '飲食店',
      employees: 4,
      purpose: '事業承継',
    });
  });
  it('a field named anywhere in the message fills the field slot, but 「その他」 in passing does not', () => {
    const found = extractSlots({ kb, flow: data.flow, answers: {} }, '宇部市の素材メーカーです。環境・エネルギー分野の新素材を共同研究したい');
    expect(found.field?.value).toEqual(['環境・エネルギー']);
    expect(found.purpose?.value).toBe('研究開発');
    expect(extractSlots({ kb, flow: data.flow, answers: {} }, 'その他の補助金も知りたい').field).toBeUndefined();
  });
  it('does not read 「個人保証」 as 個人事業主 or a programme amount as capital', () => {
    const found = extractSlots({ kb, flow: data.flow, answers: {} }, '食品卸の会社です（従業員20人、資本金3000万円）。社長の個人保証なしで上限1000万円の融資を借りたい');
    expect(found.corporation?.value).toBe('法人');
    expect(found.capital?.value).toBe(3e7);
    expect(found.employees?.value).toBe(20);
    expect(found.purpose?.value).toBe('資金調達');
  });
});

describe('the 業種 of a one-shot message is the business the user runs (sentence structure)', async () => {
  const { getTokenizer } = await import('../src/text/tokenizer.ts');
  const { businessPhrases } = await import('../src/dialogue/slots.ts');
  const tokenizer = await getTokenizer();
  const industry = (text: string, withTokenizer = true) => extractSlots({ kb, flow: data.flow, answers: {}, ...(withTokenizer ? { tokenizer } : {}) }, text).industry?.label;
  it('reads the noun governed by やっています・営んでいます・経営・開業 or a 〇〇業です / 〇〇の会社です', () => {
    expect(businessPhrases(tokenizer, data.flow, '防府市で部品加工の会社をやっています。リースで新しい工作機械を入れたい')).toEqual(['部品加工の会社']);
    expect(businessPhrases(tokenizer, data.flow, '萩市で和菓子屋を個人で開業して3年目です')).toContain('和菓子屋');
    expect(businessPhrases(tokenizer, data.flow, '岩国市の建設会社です（従業員60人）')).toEqual(['岩国市の建設会社']);
    expect(businessPhrases(tokenizer, data.flow, '運送業です')).toEqual(['運送業']);
  });
  it('another industry word used as what the user wants to buy or do is not the 業種', () => {
    expect(industry('防府市で部品加工の会社をやっています。従業員8人。リースで新しい工作機械を入れたい')).toBe('部品加工');
    expect(industry('美祢市で飲食店を営んでいます。運送を頼める先を探したい')).toBe('飲食店');
    expect(industry('柳井市で食品卸の会社を経営しています。チラシの印刷を安くしたい')).toBe('食品卸');
    // the same message without the tokenizer: the wish clause still does not count
    expect(industry('防府市で部品加工の会社です。リースで新しい工作機械を入れたい', false)).toBe('部品加工');
    // only a wish names an industry word: the 業種 stays open (asked)
    expect(industry('リースで新しい工作機械を入れたい', false)).toBeUndefined();
  });
});

describe('business verbs and wishes', async () => {
  const { getTokenizer } = await import('../src/text/tokenizer.ts');
  const { businessPhrases } = await import('../src/dialogue/slots.ts');
  const tokenizer = await getTokenizer();
  it('「〇〇をしています」 names the business; 「〇〇を導入したい」「運送をお願いしたい」 do not', () => {
    expect(businessPhrases(tokenizer, data.flow, '周南市でパン屋をしています')).toEqual(['パン屋']);
    expect(businessPhrases(tokenizer, data.flow, 'リースで工作機械を導入したい')).toEqual([]);
    expect(businessPhrases(tokenizer, data.flow, '運送をお願いしたい')).toEqual([]);
    expect(businessPhrases(tokenizer, data.flow, '地元でカフェを開きたい')).toEqual(['カフェ']);
  });
});
