/**
 * Renders engine replies as Slack Block Kit (https://docs.slack.dev/reference/block-kit).
 * Limits: 50 blocks per message, section text 3,000 characters, ≤ 10 fields of ≤ 2,000,
 * header 150, button text 75, button value 2,000, ≤ 25 elements per actions block,
 * action_id unique within a message.
 */
import type { types } from '@slack/bolt';
import type { Card, Choice, OutgoingMessage } from '../../core/types.ts';
import { truncate } from '../turn.ts';
import { cardPlain, phoneLine } from '../cards.ts';

/** Prefix of every choice button's action_id; the action handler matches it. */
export const CHOICE_ACTION_PREFIX = 'shien_choice_';

/** Slack's limit of blocks in one message. */
export const SLACK_MAX_BLOCKS = 50;

/** A Slack message: blocks plus the notification / accessibility fallback text. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * Escapes the three characters Slack mrkdwn reserves, so text a user typed is shown as typed:
 * 「<!channel>」 does not notify a channel, 「<https://x|y>」 is not a link, 「&amp;」 stays.
 */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function section(text: string): types.KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(text) || ' ', 3000) } };
}

function button(c: Choice, counter: { n: number }): types.Button {
  return { type: 'button', text: { type: 'plain_text', text: truncate(c.label, 75) }, value: truncate(c.value, 2000), action_id: `${CHOICE_ACTION_PREFIX}${counter.n++}` };
}

function buttons(choices: Choice[], counter: { n: number }): types.KnownBlock[] {
  const elements = choices.map((c) => button(c, counter));
  const blocks: types.KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += 25) blocks.push({ type: 'actions', elements: elements.slice(i, i + 25) });
  return blocks;
}

/**
 * A programme / desk card in as few blocks as reads well on a phone:
 * `header` (the name; left out in the compact form, where the name leads the section in bold),
 * one `section` (subtitle and text; the key terms, 相談先 and 電話 as fields; a single button such as
 * 詳しく as its accessory), one `context` (notes, source). Several buttons get an actions block.
 */
function cardBlocks(card: Card, counter: { n: number }, compact: boolean): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  if (!compact) blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(card.title, 150) } });
  const phone = phoneLine(card);
  const field = (label: string, value: string) => ({ type: 'mrkdwn' as const, text: truncate(`*${escapeMrkdwn(label)}*\n${escapeMrkdwn(value)}`, 2000) });
  const fields = card.fields.map((f) => field(f.label, f.value));
  const contact = [...(card.deskName ? [field('相談先', card.deskName)] : []), ...(phone ? [field('電話', phone)] : [])];
  // 相談先 and 電話 after the key terms (as fields while there is room, else as a line of the text)
  const inFields = contact.length > 0 && fields.length + contact.length <= 10;
  if (inFields) fields.push(...contact);
  const desk = inFields ? '' : [card.deskName && `*相談先* ${escapeMrkdwn(card.deskName)}`, phone && `*電話* ${escapeMrkdwn(phone)}`].filter(Boolean).join('　');
  const lines = [compact ? `*${escapeMrkdwn(card.title)}*` : '', card.subtitle && escapeMrkdwn(card.subtitle), card.text && escapeMrkdwn(card.text), desk].filter(Boolean);
  const actions = card.actions ?? [];
  const main: types.SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n') || ' ', 3000) } };
  if (fields.length) main.fields = fields.slice(0, 10);
  if (actions.length === 1) main.accessory = button(actions[0]!, counter);
  blocks.push(main);
  for (let i = 10; i < fields.length; i += 10) blocks.push({ type: 'section', fields: fields.slice(i, i + 10) });
  const context = [...(card.notes ?? []), card.sourceLabel].filter((x): x is string => !!x).slice(0, 10);
  if (context.length) blocks.push({ type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: truncate(escapeMrkdwn(t), 3000) })) });
  if (actions.length > 1) blocks.push(...buttons(actions, counter));
  return blocks;
}

/** The blocks of the replies, each card (and each question with its buttons) one unbreakable group. */
function groups(replies: OutgoingMessage[], compact: boolean): { blocks: types.KnownBlock[]; text: string }[] {
  const counter = { n: 0 };
  const out: { blocks: types.KnownBlock[]; text: string }[] = [];
  for (const r of replies) {
    if (r.type === 'text') out.push({ blocks: [section(r.text)], text: r.text });
    else if (r.type === 'link') out.push({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${escapeMrkdwn(r.text)}\n<${r.url}>` } }], text: `${r.text} ${r.url}` });
    else if (r.type === 'choices') out.push({ blocks: [section(r.text), ...buttons(r.choices, counter)], text: r.text });
    else {
      r.cards.forEach((c, i) => {
        const head: types.KnownBlock[] = [];
        if (i === 0 && r.heading) head.push({ type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(r.heading)}*` } });
        else if (i > 0 && !compact) head.push({ type: 'divider' });
        out.push({ blocks: [...head, ...cardBlocks(c, counter, compact)], text: cardPlain(c) });
      });
    }
  }
  return out;
}

/**
 * Engine replies → Slack messages of ≤ 50 blocks each, in order; nothing is dropped.
 * Cards are drawn in full (header, section, context) when everything fits in one message; else in
 * the compact form (no header, no dividers); a result that still does not fit is split between
 * cards over several messages, the last one carrying the result's buttons. The `text` of each
 * message (notification, screen readers) is escaped the same way.
 */
export function renderSlack(replies: OutgoingMessage[]): SlackMessage[] {
  let parts = groups(replies, false);
  if (parts.reduce((n, g) => n + g.blocks.length, 0) > SLACK_MAX_BLOCKS) parts = groups(replies, true);
  const messages: { blocks: types.KnownBlock[]; texts: string[] }[] = [];
  let cur: { blocks: types.KnownBlock[]; texts: string[] } = { blocks: [], texts: [] };
  for (const g of parts) {
    const blocks = g.blocks.slice(0, SLACK_MAX_BLOCKS);
    if (cur.blocks.length && cur.blocks.length + blocks.length > SLACK_MAX_BLOCKS) {
      messages.push(cur);
      cur = { blocks: [], texts: [] };
    }
    cur.blocks.push(...(cur.blocks.length === 0 && blocks[0]?.type === 'divider' ? blocks.slice(1) : blocks));
    cur.texts.push(g.text);
  }
  if (cur.blocks.length || !messages.length) messages.push(cur);
  return messages.map((m) => ({ text: truncate(escapeMrkdwn(m.texts.join('\n')) || ' ', 3000), blocks: m.blocks.length ? m.blocks : [section(' ')] }));
}
