/**
 * Schema of the knowledge files in `knowledge/` (YAML). Every file is validated with these zod
 * schemas by `knowledge check` and by the loader; an operator's mistake is reported as
 * `file:line:column message`.
 *
 * Record kinds:
 *  - `program`    支援制度 (補助金, 融資, 設備貸与, 相談, 専門家派遣 …) — knowledge/programs/*.yaml
 *  - `desk`       相談窓口 (商工会議所, 商工会, 県の課, 財団, 金融機関 …) — knowledge/desks/*.yaml
 *  - `area`       市町 with the localities that decide the desk — knowledge/areas.yaml
 *  - `definition` 中小企業等の定義 and the 組合 comparison — knowledge/definitions.yaml
 *  - `measure`    policy entries (002 基本方向/取組/数値目標; 003 historical) — knowledge/policy/*.yaml
 *
 * Non-record data: knowledge/synonyms.yaml, knowledge/industries.yaml, knowledge/fields.yaml,
 * knowledge/situations.yaml, knowledge/sources.yaml.
 */
import { z } from 'zod';

/** Source file prefixes of `../shared/seeds/` (see knowledge/sources.yaml). */
export const SourceFile = z.enum(['000', '001', '002', '003', '004']);
export type SourceFile = z.infer<typeof SourceFile>;

/** Where a record's facts are printed in a seed document: file prefix and 1-based inclusive line range. */
export const SeedRef = z.strictObject({
  file: SourceFile,
  lines: z
    .tuple([z.number().int().positive(), z.number().int().positive()])
    .refine(([a, b]) => a <= b, 'lines must be [start, end] with start <= end'),
});
export type SeedRef = z.infer<typeof SeedRef>;

/** Open datasets a record may cite by record id (see knowledge/sources.yaml). */
export const DatasetFile = z.enum(['mirasapo']);
export type DatasetFile = z.infer<typeof DatasetFile>;

/**
 * Where a record's facts are printed in an open dataset: the dataset, the id of the record whose
 * text was kept, the snapshot date (YYYY-MM-DD) and, when the same programme appears under several
 * ids, the other ids (`sourceIds`). Written by `knowledge import mirasapo`.
 */
export const DatasetRef = z.strictObject({
  file: DatasetFile,
  id: z.string().min(1),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf must be a date YYYY-MM-DD'),
  sourceIds: z.array(z.string().min(1)).optional(),
});
export type DatasetRef = z.infer<typeof DatasetRef>;

/** Where a record's facts are printed: a seed document's lines or an open dataset's record. */
export const SourceRef = z.union([SeedRef, DatasetRef]);
export type SourceRef = z.infer<typeof SourceRef>;

/** Whether a source reference cites an open dataset record (not seed lines). */
export function isDatasetRef(ref: SourceRef): ref is DatasetRef {
  return 'id' in ref;
}

/** A reference as an operator reads it: 「001 L3160-3198」 (「001 L12」 for one line) or 「mirasapo #26」. */
export function formatSourceRef(ref: SourceRef): string {
  if (isDatasetRef(ref)) return `${ref.file} #${ref.id}`;
  return `${ref.file} L${ref.lines[0]}${ref.lines[1] !== ref.lines[0] ? `-${ref.lines[1]}` : ''}`;
}

/**
 * An amount of money as printed plus its value in 円.
 * `text` must occur in the cited source lines (after normalising width and spacing);
 * `yen` must equal the value the text denotes (e.g. "2,000千円" → 2000000; with `unit`, the text's
 * first number times the unit: text "280", unit 百万円 → 280000000).
 */
export const Amount = z.strictObject({
  text: z.string().min(1),
  /**
   * the unit printed in the table header when the cell holds a bare number
   * (e.g. 融資限度額(百万円) → text "280 (運転50)", unit 百万円); shown after the text
   */
  unit: z.enum(['円', '千円', '万円', '百万円', '億円']).optional(),
  yen: z.number().nonnegative().optional(),
});
export type Amount = z.infer<typeof Amount>;

/** A rate as printed ("1/2", "2/3以内", "年1.7%") with an optional numeric value in %. */
export const Rate = z.strictObject({
  text: z.string().min(1),
  percent: z.number().nonnegative().max(100).optional(),
  /** how to read a bare table cell, from the column header (e.g. 年%、()は責任共有制度対象外の場合) */
  unit: z.string().min(1).optional(),
});
export type Rate = z.infer<typeof Rate>;

/** A free-text term as printed (期間, 据置 …). */
export const Printed = z.strictObject({
  text: z.string().min(1),
  /** how to read a bare table cell, from the column header (e.g. 年以内、()は据置期間) */
  unit: z.string().min(1).optional(),
});

/** Business size the programme is for: 中小企業者 (`sme`), 小規模企業者 (`smallEnterprise`) or anyone. */
export const SizeClass = z.enum(['sme', 'smallEnterprise', 'any']);
/** 創業段階: before founding, founded < 5 years ago, established. */
export const Stage = z.enum(['pre-startup', 'startup', 'established']);
/** 申請者の形態. */
export const ApplicantType = z.enum(['法人', '個人事業主', '組合', '共同体', '個人']);
/** Purposes a user can pick in the dialogue (intents/flow.yaml uses the same labels). */
export const Purpose = z.enum([
  '資金調達', '事業承継', '創業', 'DX・IT', '省エネ・脱炭素', '販路開拓', '海外展開', '人材確保',
  '人材育成', '研究開発', '知財', '設備投資', '経営改善・再生', '働き方・育休', '賃上げ', '企業立地',
]);
export type Purpose = z.infer<typeof Purpose>;
/** Industry groups of the 中小企業基本法 (001 L3160): the keys of knowledge/industries.yaml. */
export const IndustryGroup = z.enum(['製造業その他', '卸売業', 'サービス業', '小売業']);
export type IndustryGroup = z.infer<typeof IndustryGroup>;

/** A range of 従業員数 (人), inclusive, optionally only for some industry groups. */
export const EmployeeRange = z.strictObject({
  industryGroups: z.array(IndustryGroup).optional(),
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().nonnegative().optional(),
  text: z.string().min(1),
});

/**
 * Structured eligibility, only where the source states it. Absent field = the source is silent
 * (no filtering on it). All lists are "any of".
 */
export const Eligibility = z.strictObject({
  size: SizeClass.optional(),
  industries: z.array(z.string().min(1)).optional(),
  industryGroups: z.array(IndustryGroup).optional(),
  stages: z.array(Stage).optional(),
  applicantTypes: z.array(ApplicantType).optional(),
  municipalities: z.array(z.string().min(1)).optional(),
  purposes: z.array(Purpose).optional(),
  employees: z.array(EmployeeRange).optional(),
  /** 資本金 upper bound in 円, as printed. */
  capitalMax: Amount.optional(),
  /**
   * ids of the 商工会議所/商工会 whose members (管内の事業者) the programme serves, e.g. 山口商工会議所's
   * own services (004 L8 「管内事業者」): a business whose local desk is another one is not served.
   */
  servedBy: z.array(z.string().min(1)).optional(),
  /**
   * the budget only continues projects adopted earlier — no new applications (as printed, e.g.
   * 「令和4・5年度採択事業の継続分」, 001 L792)
   */
  continuingOnly: z.strictObject({ text: z.string().min(1) }).optional(),
  /**
   * 技術・産業分野 the programme is limited to (labels of knowledge/fields.yaml), only where the source
   * states it: 「対象分野 環境・エネルギー、医療(ヘルスケアを含む。)、バイオ関連分野」 (001 L784).
   */
  fields: z.array(z.string().min(1)).optional(),
  /**
   * particular situations the programme is for (labels of knowledge/situations.yaml), each with the
   * condition as printed in the cited lines: 新規立地 (「企業立地に係る設備投資・新規雇用」, 001 L577),
   * コンビナート企業, 商店街組合等, 運送事業者, 東部地域, 商工会議所等 as applicant. Suggested only when
   * the user's answers or words say the situation applies; otherwise a close miss with `text`.
   */
  situations: z.array(z.strictObject({ label: z.string().min(1), text: z.string().min(1) })).optional(),
});
export type Eligibility = z.infer<typeof Eligibility>;

/** Key terms as printed. Absent = not stated in the source. */
export const Terms = z.strictObject({
  subsidyRate: Rate.optional(),
  subsidyCap: Amount.optional(),
  loanLimit: Amount.optional(),
  loanFrame: Amount.optional(),
  interestRate: Rate.optional(),
  term: Printed.optional(),
  budget: Amount.optional(),
  /** anything else printed as a key term, e.g. 保証料率, 貸与限度額 */
  other: z.array(z.strictObject({ label: z.string().min(1), text: z.string().min(1) })).optional(),
});
export type Terms = z.infer<typeof Terms>;

export const Status = z.enum(['current', 'past', 'historical']);
export type Status = z.infer<typeof Status>;

const Id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be lower-case ascii words joined by "-"');

const base = {
  id: Id,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  /**
   * everyday words or short phrases an owner types for what the source says the record does
   * (電気代 for 省エネ設備, 人手が足りない for 人材確保); never a sentence, never a name (names go in
   * `aliases`). Searched in a field of their own; an absent list adds nothing.
   */
  keywords: z.array(z.string().min(1)).optional(),
  summary: z.string().min(1),
  fiscalYear: z.number().int().min(2000).max(2100),
  status: Status,
  source: SourceRef,
  /** further places the same facts are printed */
  seeAlso: z.array(SourceRef).optional(),
  /** operator's remark, never shown to users */
  note: z.string().optional(),
};

export const ProgramCategory = z.enum([
  '補助金', '融資', '設備貸与', '相談', '専門家派遣', '研修・セミナー', '人材', '販路開拓', 'イベント',
  '認定・表彰', '保証・利子補給', '施設', '情報提供', '税制', '許認可', 'その他',
]);

/** A programme's application period as the dataset gives it (dates YYYY-MM-DD, remarks as printed). */
export const Reception = z.strictObject({
  start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  remarks: z.string().min(1).optional(),
});
export type Reception = z.infer<typeof Reception>;

/** 支援制度. `parent` is the id of the 事業 a named scheme belongs to. */
export const Program = z.strictObject({
  ...base,
  kind: z.literal('program'),
  category: ProgramCategory,
  parent: Id.optional(),
  target: z.string().optional(),
  conditions: z.array(z.string().min(1)).optional(),
  eligibility: Eligibility.optional(),
  terms: Terms.optional(),
  desk: z.array(Id).default([]),
  /** the organisation that runs it, as printed (e.g. (公財)やまぐち産業振興財団) */
  operator: z.string().optional(),
  /** 所管 (competent authorities) as printed, e.g. [中小企業庁] — national programmes */
  authority: z.array(z.string().min(1)).optional(),
  /** 受付期間 as the source gives it */
  reception: Reception.optional(),
  /** where to apply online (application_url) */
  applicationUrl: z.string().url().optional(),
  /** official pages (title as printed, url) */
  links: z.array(z.strictObject({ title: z.string().min(1), url: z.string().url() })).optional(),
  /**
   * types of the business's own local desk that help applicants (the dataset or an operator says
   * so, e.g. マル経 → [商工会議所, 商工会]); the card points to them, the diagnosis names the local one
   */
  localHelp: z.array(z.enum(['商工会議所', '商工会'])).optional(),
  /**
   * the disasters (災害, 感染症) the programme responds to, as the source names them: a special
   * measure for those affected, not suggested by the diagnosis (search still finds it)
   */
  disasters: z.array(z.string().min(1)).optional(),
});
export type Program = z.infer<typeof Program>;

export const DeskType = z.enum([
  '商工会議所', '商工会', '県', '支援機関', '金融機関', '関係団体', '国', '市町', 'その他',
]);

/** 相談窓口. `covers` lists the areas it serves where the source says so. */
export const Desk = z.strictObject({
  ...base,
  kind: z.literal('desk'),
  deskType: DeskType,
  municipality: z.string().optional(),
  address: z.string().optional(),
  phone: z.string().optional(),
  fax: z.string().optional(),
  covers: z
    .array(z.strictObject({ municipality: z.string().min(1), localities: z.array(z.string()).optional(), source: SourceRef }))
    .optional(),
  purposes: z.array(Purpose).optional(),
  /** the desk this one belongs to (班 → 課, centre → 財団) */
  parent: Id.optional(),
});
export type Desk = z.infer<typeof Desk>;

/** 市町 and the localities that decide which 商工会議所/商工会 serves a business there. */
export const Area = z.strictObject({
  ...base,
  kind: z.literal('area'),
  municipalityType: z.enum(['市', '町']),
  localities: z
    .array(z.strictObject({ name: z.string().min(1), aliases: z.array(z.string()).optional(), desk: Id.optional(), source: SourceRef.optional() }))
    .default([]),
  /** ids of the desks located in this 市町 */
  desks: z.array(Id).default([]),
  /** the 商工会議所/商工会 when no locality decides */
  defaultDesk: Id.optional(),
});
export type Area = z.infer<typeof Area>;

/** A size threshold row: (従業員 ≤ employeesMax) 又は (資本金 ≤ capitalMax). */
export const SizeRow = z.strictObject({
  industryGroup: z.string().min(1),
  employeesMax: z.number().int().positive(),
  capitalMax: Amount.optional(),
  text: z.string().min(1),
});

export const Definition = z.strictObject({
  ...base,
  kind: z.literal('definition'),
  /** what the definition defines: sme / smallEnterprise / ... */
  term: z.string().min(1),
  law: z.string().optional(),
  rows: z.array(SizeRow).optional(),
  /** 政令特例: industries with their own thresholds */
  specialCases: z.array(z.strictObject({ industry: z.string().min(1), employeesMax: z.number().int().positive(), capitalMax: Amount.optional(), text: z.string().min(1) })).optional(),
  body: z.string().optional(),
  table: z.array(z.record(z.string(), z.string())).optional(),
});
export type Definition = z.infer<typeof Definition>;

export const Measure = z.strictObject({
  ...base,
  kind: z.literal('measure'),
  level: z.enum(['基本方向', '取組', '施策', '数値目標', '役割', '計画']),
  parent: Id.optional(),
  period: z.string().min(1),
  targets: z.array(z.strictObject({ indicator: z.string().min(1), baseline: z.string().optional(), goal: z.string().min(1) })).optional(),
  purposes: z.array(Purpose).optional(),
});
export type Measure = z.infer<typeof Measure>;

export const KnowledgeRecord = z.discriminatedUnion('kind', [Program, Desk, Area, Definition, Measure]);
export type KnowledgeRecord = z.infer<typeof KnowledgeRecord>;
export type RecordKind = KnowledgeRecord['kind'];

/** A records file is a YAML sequence of records. */
export const RecordsFile = z.array(KnowledgeRecord);

/** knowledge/synonyms.yaml: groups of words users type for the same thing; the first is canonical. */
export const SynonymsFile = z.array(
  z.strictObject({ canonical: z.string().min(1), words: z.array(z.string().min(1)).min(1), note: z.string().optional() }),
);

/**
 * knowledge/industries.yaml: how everyday industry words map to the 中小企業基本法 groups
 * (001 L3157-3198), and which words name the 政令特例 industries.
 */
export const IndustriesFile = z.strictObject({
  groups: z.array(
    z.strictObject({
      group: IndustryGroup,
      label: z.string().min(1),
      /** 小規模企業者 class of the group: 製造業その他 (20人) or 商業・サービス業 (5人) */
      smallEnterpriseClass: z.enum(['製造業・建設業等', '商業・サービス業']),
      keywords: z.array(z.string().min(1)),
    }),
  ),
  /** industries with a 政令特例 and the keywords that name them */
  special: z.array(z.strictObject({ industry: z.string().min(1), group: IndustryGroup, keywords: z.array(z.string().min(1)) })).default([]),
  choices: z.array(z.strictObject({ label: z.string().min(1), industry: z.string().min(1) })).default([]),
  note: z.string().optional(),
});

/**
 * knowledge/fields.yaml: the 技術・産業分野 some programmes are limited to (`eligibility.fields` holds
 * their labels) and the everyday words that name them in a user's message.
 *  - `broader`: the label of a wider field a business of this one also belongs to
 *    (再生医療 → 医療・ヘルスケア: a 再生医療 venture fits a programme for 医療・ヘルスケア);
 *  - `purposes`: dialogue purposes whose businesses work in this field by definition
 *    (DX・IT → IoT・AI・データ), so the field need not be asked.
 */
export const FieldsFile = z.strictObject({
  fields: z.array(
    z.strictObject({
      label: z.string().min(1),
      keywords: z.array(z.string().min(1)).default([]),
      broader: z.string().min(1).optional(),
      purposes: z.array(Purpose).optional(),
      note: z.string().optional(),
    }),
  ),
  note: z.string().optional(),
});
export type FieldsFile = z.infer<typeof FieldsFile>;

/**
 * knowledge/situations.yaml: the particular situations some programmes are for
 * (`eligibility.situations` holds their labels) and how a user's answers or words say it applies:
 *  - `keywords`: words in the user's own message (「工場を新設」「コンビナート」「商店街振興組合」);
 *  - `industries`: words in the user's answered 業種 (運送事業者: 「運送業」「物流」) — only the business
 *    the user runs counts, not what they want to buy;
 *  - `purposes`: dialogue purposes that mean it (企業立地);
 *  - `municipalities`: 市町 inside the region, only where the source lists them.
 * `condition`: how 「対象外は？」 names the situation.
 */
export const SituationsFile = z.strictObject({
  situations: z.array(
    z.strictObject({
      label: z.string().min(1),
      condition: z.string().min(1),
      keywords: z.array(z.string().min(1)).default([]),
      industries: z.array(z.string().min(1)).default([]),
      purposes: z.array(Purpose).default([]),
      municipalities: z.array(z.string().min(1)).default([]),
      note: z.string().optional(),
    }),
  ),
  note: z.string().optional(),
});
export type SituationsFile = z.infer<typeof SituationsFile>;

/** What every entry of knowledge/sources.yaml states: where it is, its title, publisher, period, fiscal year and status. */
const documentFields = {
  path: z.string().min(1),
  title: z.string().min(1),
  publisher: z.string().min(1),
  period: z.string().min(1),
  fiscalYear: z.number().int(),
  status: Status,
};

/** knowledge/sources.yaml: the documents a record may cite. */
export const SourcesFile = z.array(
  z.union([
    z.strictObject({
      file: SourceFile,
      ...documentFields,
    }),
    /**
     * an open dataset: `path` is relative to the project folder (or absolute); `credit` is the line
     * its terms of use require on every card that shows its records
     */
    z.strictObject({
      file: DatasetFile,
      ...documentFields,
      asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      url: z.string().url(),
      catalogue: z.string().min(1),
      credit: z.string().min(1),
    }),
  ]),
);

/**
 * knowledge/national-overrides.yaml: the operator's additions to the generated national records
 * (knowledge/national/), applied by `knowledge import mirasapo` and validated by `knowledge check`.
 *  - `vocabulary`: how the dataset's purpose/stage categories map to our purposes;
 *  - `exclude`: dataset ids not imported, with the reason;
 *  - `records`: per dataset id, aliases/keywords to add or drop, our desks that help, local help.
 */
export const NationalOverridesFile = z.strictObject({
  vocabulary: z.strictObject({
    /** dataset purpose_categories / stage_categories name → our purposes (empty list: none) */
    purposes: z.record(z.string().min(1), z.array(Purpose)),
  }),
  exclude: z.array(z.strictObject({ id: z.string().min(1), reason: z.string().min(1) })).default([]),
  records: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        /** the name as printed, to make the entry readable (checked against the dataset title) */
        name: z.string().min(1).optional(),
        aliases: z.array(z.string().min(1)).optional(),
        dropAliases: z.array(z.string().min(1)).optional(),
        keywords: z.array(z.string().min(1)).optional(),
        /** our desk ids (knowledge/desks) that help with this programme, after the national desk */
        desks: z.array(Id).optional(),
        localHelp: z.array(z.enum(['商工会議所', '商工会'])).optional(),
        note: z.string().optional(),
      }),
    )
    .default([]),
});
export type NationalOverridesFile = z.infer<typeof NationalOverridesFile>;
