import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDialogueData } from '../src/dialogue/data.ts';
import { classify } from '../src/eligibility/classify.ts';
import { matchPrograms } from '../src/eligibility/match.ts';
import { loadEligibilityWording } from '../src/eligibility/wording.ts';
import { YamlFileError } from '../src/knowledge/load.ts';
import { fixtureKb } from './helpers/engine-fixture.ts';

const kb = fixtureKb();
const INTENTS = join(import.meta.dirname, '..', 'intents');

/** A temp copy of intents/ with eligibility.yaml edited by `edit`. */
function editedIntents(edit: (yaml: string) => string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'elig-wording-')), 'intents');
  cpSync(INTENTS, dir, { recursive: true });
  const file = join(dir, 'eligibility.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

describe('eligibility wording (intents/eligibility.yaml)', () => {
  it('an edit of the file changes the reasons the matching and the classification give', () => {
    const dir = editedIntents((y) => y.replace('"{size}が対象で、該当します"', '"{size}の要件を満たします"').replace('"→ 中小企業者に該当しません"', '"→ 中小企業者ではありません"'));
    const w = loadDialogueData(dir).eligibility;
    const p = { purpose: '事業承継' as const, industry: '飲食店', employees: 4, corporation: '個人事業主' as const };
    const cls = classify(kb, p, w);
    const loan = matchPrograms(kb, p, cls, { wording: w }).matches.find((m) => m.program.name === '事業承継支援資金')!;
    expect(loan.reasons.join()).toMatch(/中小企業者の要件を満たします/);
    expect(loan.reasons.join()).not.toMatch(/が対象で、該当/);
    expect(classify(kb, { industry: '製造業', employees: 500, capital: 5e9 }, w).reasons).toContain('→ 中小企業者ではありません');
  });
  it('a template naming a placeholder the code does not fill is an error located at file:line:column', () => {
    const dir = editedIntents((y) => y.replace('"{stages}の方が対象"', '"{stage}の方が対象"'));
    let err: unknown;
    try {
      loadEligibilityWording(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(YamlFileError);
    const [problem] = (err as YamlFileError).problems;
    expect(problem.file).toMatch(/eligibility\.yaml$/);
    expect(problem.line).toBeGreaterThan(1);
    expect(problem.message).toMatch(/checks\.stages\.open.*\{stage\}/);
  });
});
