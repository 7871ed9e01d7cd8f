/**
 * Platform limits in the renderers: what a user would see break if a limit were exceeded
 * (LINE rejects the whole reply, Slack drops the message, Teams hides buttons).
 */
import { describe, expect, it } from 'vitest';
import type { Card, Choice, OutgoingMessage } from '../src/core/types.ts';
import { renderLine } from '../src/channels/line/render.ts';
import { renderSlack } from '../src/channels/slack/render.ts';
import { choiceFrom, renderTeams } from '../src/channels/teams/render.ts';
import { truncate } from '../src/channels/turn.ts';
import { cardText } from '../src/search/answer.ts';

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
  it('dials one number per printed number, never the digits of two glued together', () => {
    const two = renderLine([{ type: 'cards', cards: [{ ...card, phone: '(083) ①222-6225 ②223-2251' }] }])[0] as any;
    expect(two.contents.footer.contents.filter((b: any) => b.action.type === 'uri').map((b: any) => b.action.uri)).toEqual(['tel:083-222-6225', 'tel:083-223-2251']);
    const none = renderLine([{ type: 'cards', cards: [{ ...card, phone: 'ダイヤル番号3143' }] }])[0] as any;
    expect((none.contents.footer?.contents ?? []).filter((b: any) => b.action.type === 'uri')).toEqual([]);
    expect(JSON.stringify(none.contents.body)).toContain('電話: ダイヤル番号3143');
  });
});

describe('card notes, headings and phones on every channel', () => {
  const noted: Card = {
    id: 'n', kind: 'program', title: '国の補助金', fields: [{ label: '補助率', value: '2/3' }], deskName: '窓口', phone: '(083) ①222-6225 ②223-2251',
    dial: [{ number: '083-222-6225', tel: 'tel:083-222-6225' }, { number: '083-223-2251', tel: 'tel:083-223-2251' }],
    sourceLabel: '出典: ミラサポplus、2023年度',
    notes: ['出典：中小企業庁「ミラサポplus」（…加工して作成）', '最新の公募状況は公式サイト・窓口でご確認ください'],
  };
  const replies: OutgoingMessage[] = [{ type: 'cards', heading: '相談先', cards: [noted] }];

  it('LINE: the notes under the card, the heading over it, both numbers as text and as 電話する buttons', () => {
    const [flex] = renderLine(replies) as any[];
    const texts = flex.contents.body.contents.filter((c: any) => c.type === 'text').map((c: any) => c.text);
    expect(texts[0]).toBe('相談先');
    expect(texts).toEqual(expect.arrayContaining([...noted.notes!, '電話: 083-222-6225 / 083-223-2251']));
    expect(flex.contents.footer.contents.map((b: any) => b.action.uri)).toEqual(['tel:083-222-6225', 'tel:083-223-2251']);
    expect(flex.altText).toContain(noted.notes![0]);
  });

  it('Slack: the notes and the source in the context block, the heading above the card', () => {
    const [msg] = renderSlack(replies);
    const context = msg!.blocks.find((b) => b.type === 'context') as any;
    expect(context.elements.map((e: any) => e.text)).toEqual([...noted.notes!, noted.sourceLabel]);
    expect(JSON.stringify(msg!.blocks[0])).toContain('相談先');
    expect(JSON.stringify(msg!.blocks)).toContain('083-222-6225 / 083-223-2251');
  });

  it('Teams: the notes as small text blocks of the Adaptive Card, one 電話する per number', () => {
    const [act] = renderTeams(replies);
    const content = act!.attachments![0]!.content as any;
    const texts = content.body.map((b: any) => b.text);
    for (const n of noted.notes!) expect(texts).toContain(n);
    expect(texts[0]).toBe('相談先');
    expect(content.actions.map((a: any) => a.url)).toEqual(['tel:083-222-6225', 'tel:083-223-2251']);
  });

  it('terminal: the notes under the terms, the numbers once each', () => {
    const t = cardText(noted);
    for (const n of noted.notes!) expect(t).toContain(n);
    expect(t).toContain('相談先: 窓口（083-222-6225 / 083-223-2251）');
  });
});

describe('Teams turns', () => {
  const result: OutgoingMessage[] = [
    { type: 'text', text: '診断結果です（目的: 創業）。' },
    { type: 'text', text: '中小企業者にあたります。\n根拠: 従業員4人' },
    { type: 'text', text: 'あてはまる可能性の高い支援制度（2件）:' },
    { type: 'cards', cards: [card, { ...card, id: 'q' }] },
    { type: 'cards', heading: '相談先', cards: [{ ...card, id: 'd', kind: 'desk' }] },
    { type: 'choices', text: '次にできること', choices: choices(3) },
  ];

  it('sends a result as 3 activities: texts with the programme carousel, the desks, the question', () => {
    const acts = renderTeams(result);
    expect(acts).toHaveLength(3);
    expect(acts[0]!.attachmentLayout).toBe('carousel');
    expect(acts[0]!.attachments).toHaveLength(2);
    expect(acts[0]!.text).toBe('診断結果です（目的: 創業）。\n\n中小企業者にあたります。\n\n根拠: 従業員4人\n\nあてはまる可能性の高い支援制度（2件）:');
    expect((acts[1]!.attachments![0]!.content as any).body[0].text).toBe('相談先');
    expect((acts[2]!.attachments![0]!.content as any).buttons).toHaveLength(3);
  });

  it('never sends more than 3 activities, and drops no card or button', () => {
    const many: OutgoingMessage[] = [];
    for (let i = 0; i < 6; i++) many.push({ type: 'text', text: `T${i}` }, { type: 'cards', cards: [{ ...card, id: `c${i}` }] }, { type: 'choices', text: `Q${i}`, choices: [{ label: `B${i}`, value: `v${i}` }] });
    const acts = renderTeams(many);
    expect(acts.length).toBeLessThanOrEqual(3);
    const json = JSON.stringify(acts);
    for (let i = 0; i < 6; i++) {
      expect(json).toContain(`"v${i}"`);
      expect(json).toContain(`T${i}`);
    }
    expect(acts.flatMap((a) => a.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')).toHaveLength(6);
  });

  it('shows what the user typed as typed: Markdown in it is escaped', () => {
    const [act] = renderTeams([{ type: 'text', text: '「*至急* [見積](http://x) <b>」について' }]);
    expect(act!.text).toBe('「\\*至急\\* \\[見積\\](http://x) \\<b\\>」について');
  });
});

describe('LINE labels and short texts', () => {
  it('cuts labels to 20 characters keeping the part that tells two choices apart', () => {
    const long = [
      { label: '生活関連サービス業・娯楽業（理容・美容・クリーニング等）', value: 'a' },
      { label: '生活関連サービス業・娯楽業（旅行・冠婚葬祭等）', value: 'b' },
      { label: '飲食店', value: 'c' },
    ];
    const labels = (renderLine([{ type: 'choices', text: '業種は？', choices: long }]).at(-1)!.quickReply!.items!).map((i) => (i.action as any).label as string);
    for (const l of labels) expect(Array.from(l).length).toBeLessThanOrEqual(20);
    expect(new Set(labels).size).toBe(3);
    expect(labels[0]).toContain('理容');
    expect(labels[1]).toContain('旅行');
    expect(labels[2]).toBe('飲食店');
  });

  it('when the first 19 characters are the same, shows the end that differs', () => {
    const names = ['やまぐち産業イノベーション加速化補助金（事業化枠）', 'やまぐち産業イノベーション加速化補助金（研究開発枠）'];
    const labels = (renderLine([{ type: 'choices', text: 'どれ？', choices: names.map((label, i) => ({ label, value: `v${i}` })) }]).at(-1)!.quickReply!.items!).map((i) => (i.action as any).label as string);
    expect(labels[0]).toMatch(/^….*（事業化枠）$/);
    expect(labels[1]).toMatch(/^….*（研究開発枠）$/);
    for (const l of labels) expect(Array.from(l).length).toBeLessThanOrEqual(20);
  });

  it('merges a text as short as 「相談先:」 into the next text instead of sending it alone', () => {
    const msgs = renderLine([{ type: 'text', text: '相談先:' }, { type: 'text', text: '山口県よろず支援拠点（083-922-3700）' }]);
    expect(msgs).toHaveLength(1);
    expect((msgs[0] as any).text).toBe('相談先:\n山口県よろず支援拠点（083-922-3700）');
  });
});
