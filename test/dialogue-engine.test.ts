import { beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../src/core/types.ts';
import { converse, engineFor, fixtureKb, talk, turnText } from './helpers/engine-fixture.ts';

const kb = fixtureKb();
const counts = (t: TurnResult) => t.choices.map((c) => c.match(/（該当(\d+)件）$/)).filter(Boolean).map((m) => Number(m![1]));

describe('guided dialogue', () => {
  it('asks what matters, counts only where the choices differ, and ends with class, programmes and desks', async () => {
    const { engine } = await engineFor(kb);
    const answers = { purpose: '事業承継', industry: '飲食店', employees: '4人', corporation: '個人でやってます', municipality: '山口市', area: '阿知須', stage: 'それ以降' };
    const turns = await converse(engine, 'u1', '診断', answers);
    // 創業時期 is skipped: no 事業承継 candidate depends on it; 法人・個人 is asked (経営者保証免除促進資金 is for 法人)
    expect(turns.map((t) => t.awaiting)).toEqual(['purpose', 'industry', 'employees', 'corporation', 'municipality', 'area', null]);
    // the purpose buttons differ in count and show it; a purpose narrows the count
    expect(counts(turns[0]).length).toBeGreaterThan(5);
    expect(new Set(counts(turns[0])).size).toBeGreaterThan(1);
    const chosen = Number(turns[0].choices.find((c) => c.startsWith('事業承継'))!.match(/(\d+)件/)![1]);
    for (const n of counts(turns[2])) expect(n).toBeLessThanOrEqual(chosen);
    // choices that all leave the same number show no count (市町, 地域)
    expect(counts(turns[4])).toEqual([]);
    const last = turns[turns.length - 1];
    const result = turnText(last);
    expect(result).toMatch(/中小企業者・小規模企業者にあたります/);
    const names = last.suggestions.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['事業承継・引継ぎ支援センター事業', '山口県央商工会', '山口県事業承継・引継ぎ支援センター']));
    expect(names).not.toContain('経営者保証免除促進資金'); // 法人のみ
    expect(result).toMatch(/合う理由/);
  });

  it('a counted button shows the bare choice as the user\'s own line (display)', async () => {
    const { engine } = await engineFor(kb);
    const q = await engine.handle('u1b', { type: 'text', text: '診断' });
    const offered = q.replies.flatMap((r) => (r.type === 'choices' ? r.choices : []));
    const shokei = offered.find((c) => c.label.startsWith('事業承継'))!;
    expect(shokei.label).toMatch(/（該当\d+件）$/);
    expect(shokei.display).toBe('事業承継');
    // a channel that sends the displayed text back still picks the choice
    const next = await engine.handle('u1b', { type: 'text', text: '事業承継' });
    expect(next.awaiting).toBe('industry');
  });

  it('創業時期 is asked only when it splits the candidates (創業), not for 設備投資', async () => {
    const { engine } = await engineFor(kb);
    const sogyo = await converse(engine, 'u1c', '診断', { purpose: '創業', industry: '飲食店', employees: '2人', municipality: '美祢市', stage: '創業前' });
    expect(sogyo.map((t) => t.awaiting)).toContain('stage');
    const setsubi = await converse(engine, 'u1d', '診断', { purpose: '設備投資', industry: '製造業', employees: '25人', corporation: '法人', municipality: '美祢市' });
    expect(setsubi.map((t) => t.awaiting)).not.toContain('stage');
    expect(setsubi.map((t) => t.awaiting)).toEqual(expect.arrayContaining(['industry', 'employees', 'municipality'])); // classification and desk: always
  });

  it('capital is asked only when it can change the result, and the area only for a 市町 with several desks', async () => {
    const { engine } = await engineFor(kb);
    const a = await converse(engine, 'u2', '診断', { purpose: '設備投資', industry: '製造業', employees: '301人以上', corporation: '法人', capital: '3億', municipality: '美祢市' });
    const asked = a.map((t) => t.awaiting);
    expect(asked).toContain('capital');
    expect(asked.indexOf('municipality')).toBeGreaterThan(asked.indexOf('capital'));
    expect(asked).not.toContain('area'); // 美祢市 has one 商工会
    const { engine: e2 } = await engineFor(kb);
    const c = await converse(e2, 'u3', '診断', { purpose: '設備投資', industry: '製造業', employees: '25人', corporation: '法人', municipality: '美祢市' });
    expect(c.map((t) => t.awaiting)).not.toContain('capital');
  });

  it('re-prompts an invalid answer saying what is expected', async () => {
    const { engine } = await engineFor(kb);
    const [, , , bad] = await talk(engine, 'u4', '診断', '事業承継', '飲食店', 'たくさん');
    expect(bad.awaiting).toBe('employees');
    expect(turnText(bad)).toMatch(/読み取れませんでした.*25人/);
  });

  it('「わからない」 leaves the slot open; 「戻る」 re-asks the previous question; 「最初から」 restarts', async () => {
    const { engine } = await engineFor(kb);
    const t = await talk(engine, 'u5', '診断', 'わからない', '飲食店', '戻る', '戻る', '戻る');
    expect(t[1].awaiting).toBe('industry');
    expect(turnText(t[1])).toMatch(/わからないままで進めます/);
    expect(t[3].awaiting).toBe('industry');
    expect(t[4].awaiting).toBe('purpose');
    expect(turnText(t[5])).toMatch(/最初の質問/);
    const r = await talk(engine, 'u5', '創業', '最初から');
    expect(r[1].awaiting).toBe('purpose');
    expect(turnText(r[1])).toMatch(/最初からやり直します/);
  });

  it('an earlier answer can be changed mid-dialogue and after the result', async () => {
    const { engine } = await engineFor(kb);
    const t = await talk(engine, 'u6', '診断', '事業承継', '飲食店', '4人', 'やっぱり従業員は30人');
    expect(turnText(t[4])).toMatch(/従業員数を「30人」に変更しました/);
    expect(t[4].awaiting).toBe('corporation');
    const done = await converse(engine, 'u6', '法人', { municipality: '美祢市', stage: 'それ以降' });
    expect(done[done.length - 1].awaiting).toBeNull();
    expect(turnText(done[done.length - 1])).toMatch(/従業員数: 30人/);
    const change = await engine.handle('u6', { type: 'text', text: '回答を変更' });
    expect(change.choices.some((c) => c.startsWith('従業員数'))).toBe(true);
    const ask = await engine.handle('u6', { type: 'choice', value: 'change:employees' });
    expect(ask.awaiting).toBe('employees');
    const again = await engine.handle('u6', { type: 'text', text: '3人' });
    expect(again.awaiting).toBeNull();
    expect(turnText(again)).toMatch(/従業員数: 3人/);
  });

  it('pressing a button sends its value; a label typed back is the same choice', async () => {
    const { engine } = await engineFor(kb);
    const q = await engine.handle('u7', { type: 'choice', value: 'intent:diagnosis' });
    const label = q.choices.find((c) => c.startsWith('事業承継'))!;
    const next = await engine.handle('u7', { type: 'text', text: label });
    expect(next.awaiting).toBe('industry');
  });

  it('「やめる」 ends the dialogue', async () => {
    const { engine } = await engineFor(kb);
    const t = await talk(engine, 'u8', '診断', 'やめる', '飲食店');
    expect(t[1].awaiting).toBeNull();
    expect(turnText(t[1])).toMatch(/終了しました/);
    expect(t[2].awaiting).toBeNull();
  });
});

describe('one shot', () => {
  it('fills every slot the message names and asks only what is missing (nothing here)', async () => {
    const { engine } = await engineFor(kb);
    const [first] = await talk(engine, 'o1', '山口市阿知須で飲食店をやっています。従業員は4人で個人経営です。店を息子に継がせたい');
    expect(turnText(first)).toMatch(/目的: 事業承継.*業種: 飲食店.*従業員数: 4人.*法人・個人: 個人事業主.*所在地（市町）: 山口市.*地域: 阿知須/s);
    // 創業時期 cannot change a 事業承継 suggestion: the result comes at once
    expect(first.awaiting).toBeNull();
    expect(first.suggestions.map((s) => s.name)).toContain('山口県央商工会');
  });
  it('the 業種 is the business the user runs, not another industry word of the message (リース, 運送)', async () => {
    const { engine } = await engineFor(kb);
    const [first] = await talk(engine, 'o4', '美祢市で部品加工の会社をやっています。従業員8人。リースで新しい工作機械を入れたい');
    expect(turnText(first)).toMatch(/業種: 部品加工/);
    expect(turnText(first)).not.toMatch(/業種: リース/);
    const [second] = await talk(engine, 'o5', '美祢市で飲食店を営んでいます。従業員3人。運送をお願いできる業者を探したい');
    expect(turnText(second)).toMatch(/業種: 飲食店/);
  });
  it('「戻る」 right after a one-shot message re-asks the slots the message filled, last first', async () => {
    const { engine } = await engineFor(kb);
    const [first, back1, back2, answer] = await talk(engine, 'o3', '山口市阿知須で飲食店、従業員4人。店を息子に継がせたい', '戻る', '戻る', '秋穂');
    expect(first.awaiting).toBe('corporation');
    expect(first.choices).toContain('戻る');
    expect(back1.awaiting).toBe('area'); // 阿知須, the last slot the message filled
    expect(turnText(back1)).toMatch(/山口市には商工会議所・商工会が複数あります/);
    expect(back2.awaiting).toBe('municipality');
    expect(answer.awaiting).toBe('corporation'); // 「秋穂」 names 山口市 and its area again
  });
  it('a desk question naming a place is answered with the local desk', async () => {
    const { engine } = await engineFor(kb);
    const [t] = await talk(engine, 'o2', '周南市須々万で自動車整備業をしてる。相談できる商工会は？');
    expect(t.suggestions[0]).toMatchObject({ kind: 'desk', name: '都濃商工会' });
  });
});

describe('技術・産業分野 (field)', () => {
  const KASOKU = 'やまぐち産業イノベーション加速化補助金';
  const SAISEI = 'やまぐち再生医療等実用化・産業化推進補助金';
  it('is asked after 研究開発 with the fields that add a programme, その他 and わからない; not for other purposes', async () => {
    const { engine } = await engineFor(kb);
    const t = await talk(engine, 'f1', '診断', '研究開発', '製造業');
    expect(t[2].awaiting).toBe('field');
    expect(t[2].choices).toEqual(expect.arrayContaining(['その他の分野（該当1件）', 'わからない', '戻る']));
    expect(t[2].choices.some((c) => c.startsWith('環境・エネルギー（該当'))).toBe(true);
    expect(t[2].choices.some((c) => c.startsWith('航空機・宇宙機器'))).toBe(false); // no programme of that field in the fixture
    const { engine: e2 } = await engineFor(kb);
    const other = await talk(e2, 'f2', '診断', '事業承継', '飲食店', '4人', '個人でやってます', '美祢市', 'それ以降');
    expect(other.map((x) => x.awaiting)).not.toContain('field');
    expect(other[other.length - 1].awaiting).toBeNull();
  });
  it('is asked only while more than one field-limited programme still fits', async () => {
    const { slotApplies } = await import('../src/dialogue/flow.ts');
    const { loadDialogueData } = await import('../src/dialogue/data.ts');
    const field = loadDialogueData().flow.slots.find((s) => s.name === 'field')!;
    expect(slotApplies(kb, field, { purpose: '研究開発' })).toBe(true);
    const fewer = { ...kb, programs: kb.programs.filter((p) => !p.eligibility?.fields?.length || p.id === 'buzai-handotai') };
    expect(slotApplies(fewer, field, { purpose: '研究開発' })).toBe(false);
  });
  it('an answer naming the field fills it (no question); the result keeps only programmes of that field', async () => {
    const { engine } = await engineFor(kb);
    const t = await converse(engine, 'f3', '診断', { purpose: '研究開発', industry: '医療機器の部品メーカー', employees: '80人', corporation: '法人', municipality: '美祢市', stage: 'それ以降' });
    expect(t.map((x) => x.awaiting)).not.toContain('field');
    const names = t[t.length - 1].suggestions.map((s) => s.name);
    expect(names).toContain(KASOKU);
    expect(names).not.toContain(SAISEI);
  });
  it('one shot: the field of the message filters; with 「わからない」 the field-limited ones are close misses', async () => {
    const { engine } = await engineFor(kb);
    const [first] = await talk(engine, 'f4', '美祢市の素材メーカーです（従業員80人）。環境・エネルギー分野の新素材を共同研究したい');
    expect(turnText(first)).toMatch(/分野: 環境・エネルギー/);
    const names = (first.awaiting ? (await converse(engine, 'f4', '法人', { stage: 'それ以降' })).at(-1)! : first).suggestions.map((s) => s.name);
    expect(names).toContain(KASOKU);
    expect(names).not.toContain(SAISEI);
    const { engine: e2 } = await engineFor(kb);
    const u = await converse(e2, 'f5', '診断', { purpose: '研究開発', industry: '製造業', field: 'わからない', employees: '80人', corporation: '法人', municipality: '美祢市', stage: 'それ以降' });
    expect(u[u.length - 1].suggestions.map((s) => s.name)).not.toContain(KASOKU);
    const [misses] = await talk(e2, 'f5', '対象外は？');
    expect(turnText(misses)).toMatch(/やまぐち再生医療等実用化・産業化推進補助金 — 再生医療分野の事業が対象です/);
  });
});

describe('follow-ups on the last result', () => {
  it('「その補助率は？」「電話番号は？」「詳しく」「対象は？」「対象外は？」', async () => {
    const { engine } = await engineFor(kb);
    await talk(engine, 'f1', '診断', '創業', '飲食店', '2人', '個人事業主', '美祢市');
    const [result] = await talk(engine, 'f1', '創業前');
    const top = result.suggestions[0];
    const rec = kb.byId.get(top.id)!;
    expect(rec.kind).toBe('program');
    const [rate, phone, detail, target, misses] = await talk(engine, 'f1', 'その補助率は？', '電話番号は？', '詳しく', '対象は？', '対象外は？');
    const terms = rec.kind === 'program' ? rec.terms : undefined;
    if (terms?.subsidyRate) expect(turnText(rate)).toContain(terms.subsidyRate.text);
    else expect(turnText(rate)).toMatch(/記載がありません/);
    expect(turnText(phone)).toMatch(/\d{2,5}-\d{1,4}-\d{4}/);
    expect(detail.replies.some((r) => r.type === 'cards')).toBe(true);
    expect(turnText(target)).toContain(rec.name);
    expect(turnText(misses)).toMatch(/条件が1つだけ合わなかった|ありません/);
  });
  it('「対象外は？」 lists a close miss with its condition', async () => {
    const { engine } = await engineFor(kb);
    await talk(engine, 'f2', '診断', '事業承継', '飲食店', '4人', '個人事業主', '美祢市');
    await talk(engine, 'f2', 'それ以降');
    const [m] = await talk(engine, 'f2', '対象外は？');
    expect(turnText(m)).toMatch(/経営者保証免除促進資金 — 対象は法人です/);
  });
  it('a follow-up without a previous result is a search, not an error', async () => {
    const { engine } = await engineFor(kb);
    const [t] = await talk(engine, 'f3', 'その補助率は？');
    expect(t.replies.length).toBeGreaterThan(0);
  });
});

describe('other intents and the store', () => {
  it('greets on an empty message, helps, thanks, gives the definition, asks the 市町 for a desk lookup', async () => {
    const { engine } = await engineFor(kb);
    const [hello, help, thanks, def, desk, city] = await talk(engine, 'i1', '', '使い方', 'ありがとう', '中小企業の定義', '相談先', '周南市熊毛');
    expect(hello.choices).toEqual(expect.arrayContaining(['使える支援を診断']));
    expect(turnText(help)).toMatch(/戻る/);
    expect(turnText(thanks)).toMatch(/どういたしまして/);
    expect(turnText(def)).toMatch(/300人以下又は3億円以下/);
    expect(desk.awaiting).toBe('municipality');
    expect(city.suggestions[0].name).toBe('熊毛町商工会');
  });
  it('turns of one user are serialised: concurrent answers are all kept', async () => {
    const { engine, store } = await engineFor(kb);
    await engine.handle('s1', { type: 'text', text: '診断' });
    await Promise.all([engine.handle('s1', { type: 'text', text: '事業承継' }), engine.handle('s1', { type: 'text', text: '飲食店' })]);
    const st = await store.get('s1');
    expect(st?.slots).toMatchObject({ purpose: '事業承継', industry: '飲食店' });
  });
  it('state expires after the TTL', async () => {
    const { MemoryConversationStore } = await import('../src/dialogue/memory-store.ts');
    let now = 0;
    const store = new MemoryConversationStore({ ttlSeconds: 10, now: () => now, sweepMs: 0 });
    await store.update('k', async () => ({ state: { version: 1, mode: 'idle', slots: {}, history: [], awaiting: null, lastResults: [], updatedAt: 0 }, result: null }));
    expect(await store.get('k')).not.toBeNull();
    now = 10_001;
    expect(await store.get('k')).toBeNull();
    expect(await store.markOnce('m', 5)).toBe(true);
    expect(await store.markOnce('m', 5)).toBe(false);
  });
});

describe('free-text answers', () => {
  it('show at most searchCards cards, the next hits as buttons, and a way on; a button opens the record', async () => {
    const { engine } = await engineFor(kb);
    const [answer] = await talk(engine, 'fa1', '創業や事業承継に使える補助金や資金はある？');
    const cards = answer.replies.flatMap((r) => (r.type === 'cards' ? r.cards : []));
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.length).toBeLessThanOrEqual(3);
    const buttons = answer.replies.flatMap((r) => (r.type === 'choices' ? r.choices : []));
    expect(buttons.map((b) => b.label)).toContain('使える支援を診断');
    const more = buttons.filter((b) => b.value.startsWith('detail:'));
    for (const b of more) expect(cards.map((c) => c.title)).not.toContain(b.label);
    if (more.length) {
      const opened = await engine.handle('fa1', { type: 'choice', value: more[0].value });
      expect(turnText(opened)).toContain(more[0].label);
    }
    const diag = await engine.handle('fa1', { type: 'choice', value: buttons.find((b) => b.label === '使える支援を診断')!.value });
    expect(diag.awaiting).toBe('purpose');
  });
});

describe('consultation questions (「〇〇の相談はどこ？」)', () => {
  it('「事業承継の相談はどこ？」 answers at once with the センター and offers the 市町 as buttons', async () => {
    const { engine } = await engineFor(kb);
    const [t] = await talk(engine, 'c1', '事業承継の相談はどこ？');
    expect(t.suggestions[0]).toMatchObject({ kind: 'desk', name: '山口県事業承継・引継ぎ支援センター' });
    expect(turnText(t)).toMatch(/「事業承継」のご相談は/);
    expect(t.awaiting).toBe('municipality');
    expect(t.choices).toEqual(expect.arrayContaining(['山口市', '美祢市']));
    const pressed = await engine.handle('c1', { type: 'choice', value: '美祢市' });
    expect(pressed.suggestions[0]).toMatchObject({ kind: 'desk', name: '美祢市商工会' });
  });
  it('with the place named, the local 商工会 comes with the topic desk; without a topic, the general desk', async () => {
    const { engine } = await engineFor(kb);
    const [here] = await talk(engine, 'c2', '美祢市で事業承継の相談はどこ？');
    const desks = here.suggestions.map((s) => s.name);
    expect(desks[0]).toBe('山口県事業承継・引継ぎ支援センター');
    expect(desks).toContain('美祢市商工会');
    expect(here.awaiting).toBeNull();
    const [general] = await talk(engine, 'c3', '相談先');
    expect(general.suggestions[0]).toMatchObject({ kind: 'desk', name: '山口県よろず支援拠点' });
    expect(general.awaiting).toBe('municipality'); // never a dead end: 市町 buttons or free text
    const typed = await engine.handle('c3', { type: 'text', text: '山口市阿知須' });
    expect(typed.suggestions[0]).toMatchObject({ kind: 'desk', name: '山口県央商工会' });
  });
});

describe('real knowledge: the one-shot message of a small manufacturer wanting to lease a machine', () => {
  // the real catalogue's index is built in memory (≈10 s on a busy 2-core VM): in the hook, whose
  // timeout is for set-up, not in the test
  let engine: Awaited<ReturnType<typeof engineFor>>['engine'] | null = null;
  beforeAll(async () => {
    const real = (await import('./helpers/engine-fixture.ts')).realKb();
    if (real) engine = (await engineFor(real)).engine;
  });
  it('reads 業種 部品加工 (not リース) and suggests 設備貸与 first, not 企業立地 or 東部地域', async () => {
    if (!engine) return;
    const [t] = await talk(engine, 'r1', '防府市で部品加工の会社をやっています。従業員8人。リースで新しい工作機械を入れたい');
    expect(turnText(t)).toMatch(/業種: 部品加工/);
    expect(t.awaiting).toBeNull(); // 創業時期 and 法人・個人 cannot change this result
    const programs = t.suggestions.filter((s) => s.kind === 'program').map((s) => s.name);
    expect(programs[0]).toBe('小規模企業者等設備貸与事業資金');
    expect(programs).not.toContain('企業立地促進補助金');
    expect(programs).not.toContain('東部地域企業誘致加速補助金');
    const [misses] = await talk(engine, 'r1', '対象外は？');
    expect(turnText(misses)).toMatch(/企業立地促進補助金 — 新規の企業立地・拡大投資.*向けです/);
  });
});

describe('real knowledge: a question the search is not sure of', () => {
  let engine: Awaited<ReturnType<typeof engineFor>>['engine'] | null = null;
  beforeAll(async () => {
    const real = (await import('./helpers/engine-fixture.ts')).realKb();
    if (real) engine = (await engineFor(real)).engine;
  });
  it('says not found, gives the general desk and offers the nearest records as buttons marked as possibly related, not as the answer', async () => {
    if (!engine) return;
    const [t] = await talk(engine, 'rel1', '従業員の制服を新しくしたい。補助はある？');
    expect(t.replies.length).toBeLessThanOrEqual(3); // Teams: at most 3 activities a turn
    const first = t.replies[0];
    expect(first.type === 'text' && first.text).toMatch(/見つかりませんでした/);
    expect(first.type === 'text' && first.text).not.toMatch(/近いかもしれない/); // the names are buttons, not repeated in the text
    const cards = t.replies.find((r) => r.type === 'cards');
    expect(cards?.type === 'cards' && cards.cards[0].title).toMatch(/よろず支援拠点/);
    const choices = t.replies.find((r) => r.type === 'choices');
    expect(choices?.type === 'choices' && choices.text).toMatch(/近いかもしれない/);
    const related = choices?.type === 'choices' ? choices.choices.filter((c) => c.value.startsWith('detail:')) : [];
    expect(related.length).toBeGreaterThan(0);
    expect(related.length).toBeLessThanOrEqual(3);
    // a button shows that record in full
    const [detail] = [await engine.handle('rel1', { type: 'choice', value: related[0].value })];
    expect(turnText(detail)).toContain(related[0].label);
  });
});

describe('a question about the bot itself', () => {
  it('「あなたはAIですか？誰が作ったの？」 gets what the bot can do, not a programme about AI', async () => {
    const { engine } = await engineFor(fixtureKb());
    const [t] = await talk(engine, 'about1', 'あなたはAIですか？誰が作ったの？');
    expect(turnText(t)).toMatch(/できること/);
    expect(t.suggestions).toEqual([]);
  });
});
