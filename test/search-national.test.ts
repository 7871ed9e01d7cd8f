/**
 * National programmes (knowledge/national/, imported from ミラサポplus) in the bundled catalogue: a
 * question naming one by its name or a common short name finds it first, its card carries the
 * credit line, and the diagnosis shows national programmes beside the prefectural ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../src/knowledge/load.ts';
import type { SearchService } from '../src/search/service.ts';
import { engineFor, firstAnswer, realKb, searchFor, talk, turnText } from './helpers/engine-fixture.ts';

const CREDIT = '出典：中小企業庁「ミラサポplus」（2023年10月1日時点の情報を加工して作成）';
let kb: KnowledgeBase | null;
let service: SearchService;

beforeAll(async () => {
  kb = realKb();
  if (kb) service = await searchFor(kb);
});

describe.runIf(realKb())('national programmes in search', () => {
  it.each([
    ['ものづくり補助金の補助率は？', 'ms-26'],
    ['IT導入補助金について教えて', 'ms-214'],
    ['マル経融資の金利は？', 'ms-2050'],
    ['事業承継・引継ぎ補助金を使いたい', 'ms-2012'],
    ['事業再構築補助金の上限は？', 'ms-845'],
    ['倒産防止共済に入りたい', 'ms-1963'],
    ['雇用調整助成金の申請', 'ms-2232'],
    ['キャリアアップ助成金', 'ms-2683'],
  ])('「%s」 finds %s first', (q, id) => {
    expect(firstAnswer(service, q).id).toBe(id);
  });

  // everyday words from knowledge/national-overrides.yaml `keywords` (what each record's own text says it does)
  it.each([
    ['パートで働いている人を正社員にしたい。助成金はある？', 'ms-2683'],
    ['業績悪化で従業員を休ませることになった。休業手当の助成は？', 'ms-2232'],
    ['飲食店から食品製造へ業態転換したい。国の補助金は？', 'ms-845'],
  ])('「%s」 (never naming the programme) finds %s first', (q, id) => {
    expect(firstAnswer(service, q).id).toBe(id);
  });

  it('a need the prefecture serves too finds the national programme among the first answers', () => {
    // 育休: the prefecture's own 育休 programmes rank first (sourcePrior), 両立支援等助成金 beside them
    expect(service.search('男性社員に育休を取らせたい。会社向けの助成金は？').hits.slice(0, 4).map((h) => h.record.id)).toContain('ms-2692');
    expect(service.search('経営者の退職金を積み立てておきたい').hits.slice(0, 2).map((h) => h.record.id)).toContain('ms-2579');
  });

  it('answers a question naming マル経融資 with マル経 itself, not a disaster variant whose qualifier the question does not use', () => {
    const r = service.search('マル経融資で商工会議所の経営指導は何か月必要？');
    expect(r.hits[0].record.id).toBe('ms-2050');
    // the variant stays among the results
    expect(r.hits.map((h) => h.record.id)).toContain('ms-526');
  });

  it('reads a national programme name typed with one slip as that name, and a name no record is near as not found', () => {
    const r = service.search('キャリヤアップ助成金の正社員化コース');
    expect(r.answered).toBe(true);
    expect(r.hits[0].record.id).toBe('ms-2683');
    // the reply quotes the question as typed
    expect(r.reply).toContain('キャリヤアップ助成金');
    const none = service.search('ふくおか新規開業助成金');
    expect(none.answered).toBe(false);
    expect(none.reason).toBe('unknownName');
  });

  it('answers 「ものづくり補助金の補助率は？」 with the rate as printed, the authority, the national desk and the credit line', () => {
    const card = service.search('ものづくり補助金の補助率は？').cards[0];
    expect(card.title).toBe('ものづくり・商業・サービス生産性向上促進補助金');
    expect(card.fields).toEqual(expect.arrayContaining([{ label: '補助率', value: '2分の1～3分の2' }, { label: '所管', value: '中小企業庁' }]));
    expect(card.phone).toBe('050-8880-4053');
    expect(card.notes?.slice(0, 2)).toEqual([CREDIT, '最新の公募状況は公式サイト・窓口でご確認ください']);
  });

  it('points マル経 to the local 商工会議所・商工会', () => {
    const card = service.search('マル経融資を受けたい').cards[0];
    expect(card.id).toBe('ms-2050');
    expect(card.notes).toContain('申請のご相談は、お近くの商工会議所・商工会でも受け付けています。');
  });

  it('shows a small manufacturer investing in equipment ものづくり補助金 beside the prefectural programmes, with its reason', async () => {
    const { engine } = await engineFor(kb!);
    // 法人・個人 and 創業時期 are not asked: no answer would change these suggestions
    const turns = await talk(engine, 'u1', '診断', '設備投資', '製造業', '10人', '山口市', '山口地域');
    const last = turns[turns.length - 1];
    expect(turnText(last)).toContain('診断結果です');
    const cards = last.replies.flatMap((m) => (m.type === 'cards' ? m.cards : []));
    const national = cards.filter((c) => c.id.startsWith('ms-'));
    const prefectural = cards.filter((c) => c.kind === 'program' && !c.id.startsWith('ms-'));
    expect(national.map((c) => c.id)).toContain('ms-26');
    expect(national.length).toBeLessThanOrEqual(2);
    expect(prefectural.length).toBeGreaterThanOrEqual(3);
    const mono = national.find((c) => c.id === 'ms-26')!;
    expect(mono.fields[0]).toEqual({ label: '合う理由', value: expect.stringContaining('設備投資') });
    expect(mono.notes?.[0]).toBe(CREDIT);
  });
});
