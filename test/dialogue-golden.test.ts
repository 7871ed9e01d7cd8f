/**
 * Golden dialogue transcripts (test/golden/*.txt) on the fixture knowledge. A transcript that does
 * not exist yet is written (then read and reviewed by hand); UPDATE_GOLDEN=1 rewrites them all.
 * A change in wording or ranking shows up as a diff to review.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incoming, TurnResult } from '../src/core/types.ts';
import { cardText } from '../src/search/answer.ts';
import { engineFor, fixtureKb } from './helpers/engine-fixture.ts';

const DIR = join(import.meta.dirname, 'golden');

function render(t: TurnResult): string {
  const out: string[] = [];
  for (const m of t.replies) {
    if (m.type === 'text') out.push(m.text);
    else if (m.type === 'link') out.push(`${m.text} <${m.url}>`);
    else if (m.type === 'choices') out.push(`${m.text}\n${m.choices.map((c, i) => `  [${i + 1}] ${c.label}`).join('\n')}`);
    else out.push([...(m.heading ? [`${m.heading}:`] : []), ...m.cards.map((c) => cardText(c))].join('\n'));
  }
  out.push(`  (awaiting: ${t.awaiting ?? '-'}; suggestions: ${t.suggestions.map((s) => s.name).join('、') || '-'})`);
  return out.join('\n');
}

const SCRIPTS: Record<string, (string | Incoming)[]> = {
  // 創業時期 is not asked: no 事業承継 candidate depends on it
  'guided-shokei': ['', '診断', '事業承継', '飲食店', '4人', '個人でやってます', '山口市', '阿知須', 'その補助率は？', '電話番号は？', '対象外は？'],
  'one-shot-and-back': ['山口市阿知須で飲食店、従業員4人。店を息子に継がせたい', '戻る', '戻る', '阿知須', '個人事業主'],
  // 法人・個人 is not asked: no answer changes a 設備投資 candidate here
  'capital-and-change': ['診断', '設備投資', '金属加工', '301人以上', '3億', '周南市熊毛', '回答を変更', { type: 'choice', value: 'change:employees' }, '２５人'],
  'desk-and-reprompt': ['周南市の商工会は？', '相談先', '美祢市', '診断', 'たくさん', 'やめる', 'ありがとう'],
  'consult-topic': ['事業承継の相談はどこ？', { type: 'choice', value: '山口市' }, '再生の相談はどこ？', '周南市で知財の相談先'],
};

describe('golden transcripts', () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(name, async () => {
      const { engine } = await engineFor(fixtureKb());
      const parts: string[] = [];
      for (const step of script) {
        const incoming: Incoming = typeof step === 'string' ? { type: 'text', text: step } : step;
        parts.push(`>>> ${incoming.type === 'text' ? incoming.text || '(empty)' : `[button ${incoming.value}]`}`);
        parts.push(render(await engine.handle(`golden-${name}`, incoming)));
      }
      const text = parts.join('\n') + '\n';
      const file = join(DIR, `${name}.txt`);
      if (!existsSync(file) || process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
});
