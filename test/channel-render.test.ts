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
    // texts are merged (a one-letter text is not worth a bubble), never dropped
    const texts = msgs.flatMap((m) => (m.type === 'text' ? m.text.split(/\n+/) : []));
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
    const [msg, ...rest] = renderSlack([{ type: 'choices', text: 'a < b & c', choices: choices(30) }, { type: 'cards', cards: [card] }]);
    expect(rest).toHaveLength(0);
    if (!msg) throw new Error('no message');
    const actions = msg.blocks.filter((b) => b.type === 'actions') as any[];
    for (const a of actions) expect(a.elements.length).toBeLessThanOrEqual(25);
    const ids = actions.flatMap((a) => a.elements.map((e: any) => e.action_id));
    expect(new Set(ids).size).toBe(30);
    expect(JSON.stringify(msg.blocks)).toContain('a &lt; b &amp; c');
    // the notification text is parsed for mentions and links too: escaped the same way (Slack shows 制度<A>&B)
    expect(msg.text).toContain('制度&lt;A&gt;&amp;B');
  });

  it('never sends more than 50 blocks and drops nothing: 40 cards and a question become several messages, the question last', () => {
    const many: Card[] = Array.from({ length: 40 }, (_, i) => ({ ...card, id: `p${i}`, title: `制度${i}`, sourceLabel: '出典: 資料、2024年度', actions: [{ label: '詳しく', value: `detail:p${i}` }] }));
    const msgs = renderSlack([{ type: 'text', text: '結果です' }, { type: 'cards', cards: many }, { type: 'choices', text: '次は？', choices: choices(3) }]);
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) expect(m.blocks.length).toBeLessThanOrEqual(50);
    const all = JSON.stringify(msgs.map((m) => m.blocks));
    for (let i = 0; i < 40; i++) expect(all).toContain(`"detail:p${i}"`);
    const last = JSON.stringify(msgs.at(-1)!.blocks);
    for (let i = 0; i < 3; i++) expect(last).toContain(`"slot:x:${i}"`);
    const ids = msgs.flatMap((m) => m.blocks.flatMap((b: any) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]).map((e: any) => e.action_id)).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('escapes what a user typed: <!channel> does not notify, & and > stay as typed', () => {
    const [msg] = renderSlack([{ type: 'text', text: '「<!channel> 補助金 & 融資 > 3件」について' }]);
    expect(JSON.stringify(msg)).not.toContain('<!channel>');
    expect((msg!.blocks[0] as any).text.text).toBe('「&lt;!channel&gt; 補助金 &amp; 融資 &gt; 3件」について');
    expect(msg!.text).not.toContain('<!channel>');
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
