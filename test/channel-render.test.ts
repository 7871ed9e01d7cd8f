/**
 * Platform limits in the renderers: what a user would see break if a limit were exceeded
 * (LINE rejects the whole reply, Slack drops the message, Teams hides buttons).
 */
import { describe, expect, it } from 'vitest';
import type { Card, Choice, OutgoingMessage } from '../src/core/types.ts';
import { renderLine } from '../src/channels/line/render.ts';
import { renderSlack } from '../src/channels/slack/render.ts';
import { choiceFrom, renderTeams } from '../src/channels/teams/render.ts';
import { telUri, truncate } from '../src/channels/turn.ts';

const choices = (n: number): Choice[] => Array.from({ length: n }, (_, i) => ({ label: i === 3 ? '生活関連サービス業・娯楽業（理容・美容・クリーニング等）' : `選択肢${i + 1}`, value: `slot:x:${i}` }));
const card: Card = {
  id: 'p', kind: 'program', title: '制度<A>&B', fields: [{ label: '補助率', value: '1/2' }], deskName: '経営金融課', phone: '０８３-９３３-３１８０',
};

describe('LINE rendering', () => {
  it('keeps at most 13 quick replies (the first 12 and the last) and lists all choices as Flex buttons beyond that', () => {
    const msgs = renderLine([{ type: 'choices', text: '市町は？', choices: choices(21) }]);
    const items = msgs.at(-1)!.quickReply!.items!;
    expect(items).toHaveLength(13);
    expect((items.at(-1)!.action as any).data).toBe('slot:x:20');
    for (const it of items) expect(Array.from((it.action as any).label as string).length).toBeLessThanOrEqual(20);
    const flex = msgs.find((m) => m.type === 'flex') as any;
    const datas = JSON.stringify(flex.contents);
    for (let i = 0; i < 21; i++) expect(datas).toContain(`"slot:x:${i}"`);
  });

  it('fits any number of replies into 5 messages without losing text, quick replies on the last', () => {
    const replies: OutgoingMessage[] = [
      { type: 'text', text: 'A' }, { type: 'text', text: 'B' }, { type: 'text', text: 'C' },
      { type: 'cards', cards: [card] }, { type: 'text', text: 'D' }, { type: 'cards', cards: [card] },
      { type: 'choices', text: 'E', choices: choices(2) },
    ];
    const msgs = renderLine(replies);
    expect(msgs.length).toBeLessThanOrEqual(5);
    const texts = msgs.flatMap((m) => (m.type === 'text' ? m.text.split('\n\n') : []));
    expect(texts).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(msgs.filter((m) => m.type === 'flex')).toHaveLength(2);
    expect(msgs.at(-1)!.quickReply!.items).toHaveLength(2);
  });

  it('dials the printed phone number from a card', () => {
    const flex = renderLine([{ type: 'cards', cards: [card] }])[0] as any;
    expect(flex.contents.footer.contents[0].action).toEqual({ type: 'uri', label: '電話する', uri: 'tel:083-933-3180' });
  });
});

describe('Slack rendering', () => {
  it('splits many buttons into actions blocks of ≤ 25 with unique action ids and escapes mrkdwn', () => {
    const msg = renderSlack([{ type: 'choices', text: 'a < b & c', choices: choices(30) }, { type: 'cards', cards: [card] }]);
    const actions = msg.blocks.filter((b) => b.type === 'actions') as any[];
    for (const a of actions) expect(a.elements.length).toBeLessThanOrEqual(25);
    const ids = actions.flatMap((a) => a.elements.map((e: any) => e.action_id));
    expect(new Set(ids).size).toBe(30);
    expect(JSON.stringify(msg.blocks)).toContain('a &lt; b &amp; c');
    expect(msg.text).toContain('制度&lt;A&gt;&amp;B'); // the notification text is mrkdwn too: escaped (issue #9, finding 10)
  });

  it('never sends more than 50 blocks', () => {
    const msg = renderSlack([{ type: 'cards', cards: Array.from({ length: 20 }, () => card) }]);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('Teams rendering', () => {
  it('puts at most 6 buttons on a hero card and stacks the cards', () => {
    const [act] = renderTeams([{ type: 'choices', text: '業種は？', choices: choices(8) }]);
    expect(act!.attachments).toHaveLength(2);
    expect(act!.attachmentLayout).toBe('list');
    for (const a of act!.attachments!) expect((a.content as any).buttons.length).toBeLessThanOrEqual(6);
    expect((act!.attachments![0]!.content as any).text).toBe('業種は？');
  });

  it('reads a choice from a message value, Action.Submit data or an invoke, and nothing else', () => {
    expect(choiceFrom({ shienChoice: 'slot:x:1', label: 'A' })).toEqual({ type: 'choice', value: 'slot:x:1', label: 'A' });
    expect(choiceFrom({ action: { type: 'Action.Execute', data: { shienChoice: 'v' } } })).toEqual({ type: 'choice', value: 'v', label: undefined });
    for (const junk of [undefined, null, 'x', 42, {}, { shienChoice: 3 }]) expect(choiceFrom(junk)).toBeNull();
  });
});

describe('text helpers', () => {
  it('truncates by characters, not UTF-16 units, and marks the cut', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('短い', 20)).toBe('短い');
  });
  it('makes a tel: URI from a printed number', () => {
    expect(telUri('(083) 933-3180')).toBe('tel:083933-3180');
    expect(telUri('０８３-９３３-３１８０')).toBe('tel:083-933-3180');
  });
});
