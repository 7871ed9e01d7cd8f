/**
 * Renders engine replies as Slack Block Kit (https://docs.slack.dev/reference/block-kit).
 * Limits: 50 blocks per message, section text 3,000 characters, ≤ 10 fields of ≤ 2,000,
 * header 150, button text 75, button value 2,000, ≤ 25 elements per actions block,
 * action_id unique within a message.
 */
import type { types } from '@slack/bolt';
import type { Card, Choice, OutgoingMessage } from '../../core/types.ts';
import { cardPlainText, truncate } from '../turn.ts';

/** Prefix of every choice button's action_id; the action handler matches it. */
export const CHOICE_ACTION_PREFIX = 'shien_choice_';

/** A Slack message: blocks plus the notification / accessibility fallback text. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/** Escapes the three characters Slack mrkdwn reserves. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function section(text: string): types.KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(text) || ' ', 3000) } };
}

function buttons(choices: Choice[], counter: { n: number }): types.KnownBlock[] {
  const elements: types.Button[] = choices.map((c) => ({
    type: 'button',
    text: { type: 'plain_text', text: truncate(c.label, 75) },
    value: truncate(c.value, 2000),
    action_id: `${CHOICE_ACTION_PREFIX}${counter.n++}`,
  }));
  const blocks: types.KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += 25) blocks.push({ type: 'actions', elements: elements.slice(i, i + 25) });
  return blocks;
}

/** A programme / desk card: header, text, key terms as fields, desk and phone, source, buttons. */
function cardBlocks(card: Card, counter: { n: number }): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(card.title, 150) } }];
  const intro = [card.subtitle, card.text].filter(Boolean).join('\n');
  if (intro) blocks.push(section(intro));
  for (let i = 0; i < card.fields.length; i += 10) {
    blocks.push({
      type: 'section',
      fields: card.fields.slice(i, i + 10).map((f) => ({ type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, 2000) })),
    });
  }
  const desk = [card.deskName && `*相談先* ${escapeMrkdwn(card.deskName)}`, card.phone && `*電話* ${escapeMrkdwn(card.phone)}`].filter(Boolean).join('　');
  if (desk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: desk } });
  if (card.sourceLabel) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(card.sourceLabel) }] });
  if (card.actions?.length) blocks.push(...buttons(card.actions, counter));
  return blocks;
}

/** Engine replies → one Slack message (≤ 50 blocks; a dropped tail is announced in the last block). */
export function renderSlack(replies: OutgoingMessage[]): SlackMessage {
  const counter = { n: 0 };
  const blocks: types.KnownBlock[] = [];
  const texts: string[] = [];
  for (const r of replies) {
    if (r.type === 'text') {
      blocks.push(section(r.text));
      texts.push(r.text);
    } else if (r.type === 'link') {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${escapeMrkdwn(r.text)}\n<${r.url}>` } });
      texts.push(`${r.text} ${r.url}`);
    } else if (r.type === 'choices') {
      blocks.push(section(r.text), ...buttons(r.choices, counter));
      texts.push(r.text);
    } else {
      r.cards.forEach((c, i) => {
        if (i > 0) blocks.push({ type: 'divider' });
        blocks.push(...cardBlocks(c, counter));
        texts.push(cardPlainText(c));
      });
    }
  }
  const shown = blocks.length > 50 ? [...blocks.slice(0, 49), section('（表示しきれない項目があります）')] : blocks;
  // the notification text is mrkdwn too: escaped, so user words such as <!channel> never notify anyone
  return { text: truncate(escapeMrkdwn(texts.join('\n')) || ' ', 3000), blocks: shown };
}
