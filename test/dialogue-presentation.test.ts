/**
 * What the engine's replies look like to a business owner (fixture knowledge): no opening 「いくつか
 * 質問します」 when one message already completes the diagnosis, no 4-character message of its own,
 * the user's own spelling quoted back, a 詳しく card without a 詳しく button that cites the lines for staff.
 */
import { describe, expect, it } from 'vitest';
import type { Card, TurnResult } from '../src/core/types.ts';
import { loadDialogueData, wording } from '../src/dialogue/data.ts';
import { engineFor, fixtureKb } from './helpers/engine-fixture.ts';

const data = loadDialogueData();
const texts = (t: TurnResult) => t.replies.flatMap((r) => (r.type === 'text' || r.type === 'choices' ? [r.text] : []));
const cards = (t: TurnResult): Card[] => t.replies.flatMap((r) => (r.type === 'cards' ? r.cards : []));
const COMPLETE = '山口市阿知須で飲食店を個人でやってます。従業員4人、開業して10年以上の老舗です。店を息子に継がせたい';

describe('replies as an owner reads them', () => {
  it('a one-shot message that answers every question gets the result only, without the opening', async () => {
    const { engine } = await engineFor(fixtureKb());
    const t = await engine.handle('p1', { type: 'text', text: COMPLETE });
    expect(t.awaiting).toBeNull();
    const all = texts(t).join('\n');
    expect(all).not.toContain(wording(data, 'diagnosisStart'));
    expect(all).not.toContain('次のように理解しました');
    expect(texts(t)[0]).toMatch(/^診断結果です（/);
  });

  it('a one-shot message that leaves questions open still opens with how the questions work', async () => {
    const { engine } = await engineFor(fixtureKb());
    const t = await engine.handle('p2', { type: 'text', text: '山口市阿知須で飲食店、従業員4人。店を息子に継がせたい' });
    expect(t.awaiting).not.toBeNull();
    expect(texts(t)[0]).toContain(wording(data, 'diagnosisStart'));
  });

  it('the desks of a result come under a heading, not after a message of their own', async () => {
    const { engine } = await engineFor(fixtureKb());
    const t = await engine.handle('p3', { type: 'text', text: COMPLETE });
    for (const r of t.replies) if (r.type === 'text') expect(Array.from(r.text).length).toBeGreaterThan(8);
    const desks = t.replies.find((r) => r.type === 'cards' && r.cards.every((c) => c.kind === 'desk'));
    expect(desks).toMatchObject({ heading: '相談先' });
    for (const c of desks!.type === 'cards' ? desks!.cards : []) {
      expect(c.deskName).toBeUndefined(); // a desk is not its own 相談先
      expect(c.text ?? '').not.toBe(`${c.title}。`);
    }
  });

  it('the classification reasons cite no line of the sources', async () => {
    const { engine } = await engineFor(fixtureKb());
    const t = await engine.handle('p4', { type: 'text', text: COMPLETE });
    const all = texts(t).join('\n');
    expect(all).toContain('小規模企業者');
    expect(all).not.toMatch(/\d{3} L\d|L\d{3,}/);
  });

  it('quotes the question as the user typed it (full-width letters, not the folded form)', async () => {
    const { engine } = await engineFor(fixtureKb());
    const t = await engine.handle('p5', { type: 'text', text: 'ＤＸの補助金　ありますか' });
    expect(texts(t)[0]).toContain('「ＤＸの補助金 ありますか」');
    const nf = await engine.handle('p5', { type: 'text', text: 'ＸＹＺ宇宙葬' });
    expect(texts(nf)[0]).toContain('「ＸＹＺ宇宙葬」');
  });

  it('a 詳しく card has no 詳しく button, does not restate its title and gives staff the line range', async () => {
    const { engine } = await engineFor(fixtureKb());
    const first = await engine.handle('p6', { type: 'text', text: 'よろず支援拠点の連絡先' });
    const desk = cards(first).find((c) => c.kind === 'desk')!;
    expect(desk.actions?.map((a) => a.label)).toContain('詳しく');
    const t = await engine.handle('p6', { type: 'choice', value: desk.actions!.find((a) => a.label === '詳しく')!.value });
    const [full] = cards(t);
    expect(full!.actions ?? []).toHaveLength(0);
    expect(full!.text ?? '').not.toBe(`${full!.title}。`);
    expect(full!.sourceLabel).toMatch(/（\d{3} L\d+(-\d+)?）$/);
  });
});
