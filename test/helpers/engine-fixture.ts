/**
 * Shared setup of the eligibility/dialogue/web tests: the fixture knowledge (test/fixtures/knowledge),
 * the real knowledge when it loads, and an engine over either with an in-memory store.
 */
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { TurnResult } from '../../src/core/types.ts';
import { createEngine, type DialogueEngine } from '../../src/dialogue/engine.ts';
import { MemoryConversationStore } from '../../src/dialogue/memory-store.ts';
import { loadKnowledge, loadKnowledgeOrThrow, type KnowledgeBase } from '../../src/knowledge/load.ts';
import { createSearchService, type SearchService } from '../../src/search/service.ts';

export const FIXTURE_KNOWLEDGE = resolve(import.meta.dirname, '../fixtures/knowledge');

let fixture: KnowledgeBase | null = null;
/** The fixture knowledge (small, stable: tests assert exact programmes on it). */
export function fixtureKb(): KnowledgeBase {
  fixture ??= loadKnowledgeOrThrow(FIXTURE_KNOWLEDGE);
  return fixture;
}

let real: KnowledgeBase | null | undefined;
/** The project's knowledge/, or null while it does not load (it is written by other helpers). */
export function realKb(): KnowledgeBase | null {
  if (real === undefined) real = loadKnowledge().kb;
  return real;
}

const services = new Map<KnowledgeBase, Promise<SearchService>>();
/** A search service over `kb` with an in-memory index (never touches .cache). */
export function searchFor(kb: KnowledgeBase): Promise<SearchService> {
  if (!services.has(kb)) services.set(kb, createSearchService(kb, { index: 'memory' }));
  return services.get(kb)!;
}

/** A fresh engine with its own in-memory store. */
/** The first hit of `question`, after checking the search answered it (fails the test otherwise). */
export function firstAnswer(service: SearchService, question: string): ReturnType<SearchService['search']>['hits'][number]['record'] {
  const r = service.search(question);
  expect(r.answered, question).toBe(true);
  return r.hits[0].record;
}

export async function engineFor(kb: KnowledgeBase): Promise<{ engine: DialogueEngine; store: MemoryConversationStore }> {
  const store = new MemoryConversationStore({ sweepMs: 0 });
  const engine = await createEngine({ search: await searchFor(kb), store });
  return { engine, store };
}

/** Sends text messages in order; returns every turn. */
export async function talk(engine: DialogueEngine, user: string, ...messages: string[]): Promise<TurnResult[]> {
  const out: TurnResult[] = [];
  for (const m of messages) out.push(await engine.handle(user, { type: 'text', text: m }));
  return out;
}

/** All text of a turn (texts, choice prompts, card titles and fields) joined by newlines. */
export function turnText(t: TurnResult): string {
  return t.replies
    .map((r) => (r.type === 'text' ? r.text : r.type === 'choices' ? `${r.text}\n${r.choices.map((c) => c.label).join(' | ')}` : r.type === 'cards' ? r.cards.map((c) => `${c.title} ${c.fields.map((f) => `${f.label}:${f.value}`).join(' ')} ${c.phone ?? ''}`).join('\n') : r.text))
    .join('\n');
}

/**
 * Sends `first`, then answers each question the engine asks from `answers` (slot name → text; a slot
 * without an answer gets 「わからない」) until a result. Returns every turn: what a user meets when the
 * engine decides which questions to ask.
 */
export async function converse(engine: DialogueEngine, user: string, first: string, answers: Record<string, string>): Promise<TurnResult[]> {
  const out: TurnResult[] = [await engine.handle(user, { type: 'text', text: first })];
  while (out[out.length - 1].awaiting && out.length < 20) {
    const slot = out[out.length - 1].awaiting!;
    out.push(await engine.handle(user, { type: 'text', text: answers[slot] ?? 'わからない' }));
  }
  return out;
}
