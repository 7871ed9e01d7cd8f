/**
 * Renders engine replies as LINE Messaging API messages.
 * Limits (LINE Messaging API reference, "Message objects"): at most 5 messages per reply,
 * 5,000 characters per text, 13 quick reply items with labels ≤ 20 characters,
 * postback data ≤ 300 characters, a Flex carousel ≤ 12 bubbles, altText ≤ 1,500 characters,
 * action labels ≤ 40 characters.
 */
import type { messagingApi } from '@line/bot-sdk';
import type { Card, Choice, OutgoingMessage } from '../../core/types.ts';
import { truncate } from '../turn.ts';
import { callLabel, cardPlain, dialNumbers, distinctLabels, phoneLine } from '../cards.ts';

type Message = messagingApi.Message;
type FlexBubble = messagingApi.FlexBubble;
type FlexComponent = messagingApi.FlexComponent;
type QuickReplyItem = messagingApi.QuickReplyItem;

export const LINE_LIMITS = { messages: 5, text: 5000, quickReply: 13, label: 20, data: 300, bubbles: 12, altText: 1500, actionLabel: 40 } as const;

/** A button press as a postback; `displayText` shows the whole pressed label in the user's chat. */
function postback(choice: Choice, label: string): messagingApi.PostbackAction {
  return {
    type: 'postback',
    label,
    data: truncate(choice.value, LINE_LIMITS.data),
    displayText: truncate(choice.display ?? choice.label, 300),
  };
}

function text(t: string, size: string, extra: Partial<messagingApi.FlexText> = {}): FlexComponent {
  return { type: 'text', text: t || ' ', size, wrap: true, ...extra } as FlexComponent;
}

/**
 * One programme / desk card as a Flex bubble: the heading of its group (「相談先」) if any, title,
 * subtitle, text, key terms, 相談先 and the phone as text (LINE on PC cannot dial), notes, source;
 * one 電話する button per number and the card's own buttons.
 */
export function cardBubble(card: Card, heading?: string): FlexBubble {
  const body: FlexComponent[] = [];
  if (heading) body.push(text(heading, 'xs', { color: '#0b5fa5', weight: 'bold' }));
  body.push(text(card.title, 'lg', { weight: 'bold' }));
  if (card.subtitle) body.push(text(card.subtitle, 'sm', { color: '#666666' }));
  if (card.text) body.push(text(truncate(card.text, 500), 'sm', { margin: 'md' }));
  if (card.fields.length) {
    body.push({ type: 'separator', margin: 'md' });
    for (const f of card.fields) {
      body.push({
        type: 'box', layout: 'baseline', spacing: 'sm', margin: 'sm',
        contents: [text(f.label, 'sm', { color: '#888888', flex: 2 }), text(f.value, 'sm', { flex: 5 })],
      } as FlexComponent);
    }
  }
  const phone = phoneLine(card);
  if (card.deskName || phone) {
    body.push({ type: 'separator', margin: 'md' });
    if (card.deskName) body.push(text(`相談先: ${card.deskName}`, 'sm', { margin: 'md' }));
    if (phone) body.push(text(`電話: ${phone}`, 'sm', card.deskName ? {} : { margin: 'md' }));
  }
  for (const n of card.notes ?? []) body.push(text(n, 'xxs', { color: '#888888', margin: 'sm' }));
  if (card.sourceLabel) body.push(text(card.sourceLabel, 'xxs', { color: '#aaaaaa', margin: 'md' }));
  const buttons: FlexComponent[] = [];
  const dial = dialNumbers(card);
  for (const n of dial) {
    buttons.push({ type: 'button', style: 'primary', height: 'sm', action: { type: 'uri', label: truncate(callLabel(n, dial), LINE_LIMITS.actionLabel), uri: n.tel } } as FlexComponent);
  }
  const actions = card.actions ?? [];
  const labels = distinctLabels(actions.map((a) => a.label), LINE_LIMITS.actionLabel);
  actions.forEach((a, i) => {
    buttons.push({ type: 'button', style: 'secondary', height: 'sm', action: postback(a, labels[i]!) } as FlexComponent);
  });
  const bubble: FlexBubble = { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: body } };
  if (buttons.length) bubble.footer = { type: 'box', layout: 'vertical', spacing: 'sm', contents: buttons };
  return bubble;
}

/** Cards as one Flex message (a carousel when several; at most 12 bubbles). */
function cardsMessage(cards: Card[], heading?: string): Message {
  const shown = cards.slice(0, LINE_LIMITS.bubbles);
  const altText = truncate([heading, ...shown.map(cardPlain)].filter(Boolean).join('\n\n'), LINE_LIMITS.altText);
  const contents: messagingApi.FlexContainer = shown.length === 1
    ? cardBubble(shown[0]!, heading)
    : { type: 'carousel', contents: shown.map((c) => cardBubble(c, heading)) };
  return { type: 'flex', altText, contents };
}

/**
 * Quick reply items for `choices`: all of them when they fit in 13; otherwise the first 12 and the
 * last (the last choice is usually 「戻る」/「わからない」; the rest are on the Flex list).
 */
function quickItems(choices: Choice[]): QuickReplyItem[] {
  const kept = choices.length <= LINE_LIMITS.quickReply ? choices : [...choices.slice(0, LINE_LIMITS.quickReply - 1), choices[choices.length - 1]!];
  const labels = distinctLabels(kept.map((c) => c.label), LINE_LIMITS.label);
  return kept.map((c, i) => ({ type: 'action', action: postback(c, labels[i]!) }));
}

/** More choices than quick reply holds: every choice as a button on Flex bubbles of 8. */
function choiceListMessage(text: string, choices: Choice[]): Message {
  const bubbles: FlexBubble[] = [];
  const labels = distinctLabels(choices.map((c) => c.label), LINE_LIMITS.actionLabel);
  for (let i = 0; i < choices.length && bubbles.length < LINE_LIMITS.bubbles; i += 8) {
    const buttons = choices.slice(i, i + 8).map((c, j) => ({ type: 'button', style: 'secondary', height: 'sm', action: postback(c, labels[i + j]!) }) as FlexComponent);
    bubbles.push({ type: 'bubble', size: 'kilo', body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: buttons } });
  }
  const contents: messagingApi.FlexContainer = bubbles.length === 1 ? bubbles[0]! : { type: 'carousel', contents: bubbles };
  return { type: 'flex', altText: truncate(`${text}\n${choices.map((c) => c.label).join(' / ')}`, LINE_LIMITS.altText), contents };
}

/**
 * Engine replies → at most 5 LINE messages. Choices become quick reply buttons on the last
 * message (LINE shows quick replies only there; more than 13 choices are also listed as Flex
 * buttons); surplus texts are merged so nothing is dropped.
 */
export function renderLine(replies: OutgoingMessage[]): Message[] {
  const out: Message[] = [];
  const quick: QuickReplyItem[] = [];
  for (const r of replies) {
    if (r.type === 'text') out.push({ type: 'text', text: r.text });
    else if (r.type === 'link') out.push({ type: 'text', text: `${r.text}\n${r.url}` });
    else if (r.type === 'choices') {
      out.push({ type: 'text', text: r.text });
      if (r.choices.length > LINE_LIMITS.quickReply) out.push(choiceListMessage(r.text, r.choices));
      quick.push(...quickItems(r.choices));
    } else if (r.cards.length) out.push(cardsMessage(r.cards, r.heading));
  }
  const messages = fitFive(mergeTiny(out).map((m) => (m.type === 'text' ? { ...m, text: truncate(m.text || ' ', LINE_LIMITS.text) } : m)));
  if (quick.length && messages.length) {
    messages[messages.length - 1] = { ...messages[messages.length - 1]!, quickReply: { items: quick.slice(0, LINE_LIMITS.quickReply) } };
  }
  return messages;
}

/** A text this short (「相談先:」) is not worth a bubble of its own: it joins the next text (else the previous one). */
const TINY_TEXT = 8;

function mergeTiny(messages: Message[]): Message[] {
  const out = [...messages];
  for (let i = 0; i < out.length; i++) {
    const m = out[i]!;
    if (m.type !== 'text' || Array.from(m.text.trim()).length > TINY_TEXT || out.length === 1) continue;
    const next = out[i + 1];
    const prev = out[i - 1];
    if (next?.type === 'text') out.splice(i, 2, { ...next, text: `${m.text}\n${next.text}` });
    else if (prev?.type === 'text') out.splice(i - 1, 2, { ...prev, text: `${prev.text}\n${m.text}` });
    else continue;
    i--;
  }
  return out;
}

/** Merges adjacent text messages until at most 5 remain; if still more, keeps the first 4 and the last (which carries the quick replies). */
function fitFive(messages: Message[]): Message[] {
  const out = [...messages];
  for (let i = out.length - 2; out.length > LINE_LIMITS.messages && i >= 0; i--) {
    const a = out[i]!;
    const b = out[i + 1]!;
    if (a.type === 'text' && b.type === 'text') out.splice(i, 2, { type: 'text', text: truncate(`${a.text}\n\n${b.text}`, LINE_LIMITS.text) });
  }
  return out.length > LINE_LIMITS.messages ? [...out.slice(0, LINE_LIMITS.messages - 1), out[out.length - 1]!] : out;
}
