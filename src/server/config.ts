/**
 * Server configuration from environment variables, validated at startup. A malformed variable
 * stops the server with a message naming it; a channel whose credentials are absent is off.
 */
import { z } from 'zod';

const url = z.url({ message: 'must be a URL such as https://api.line.me' });
const optional = z.string().trim().min(1).optional();

/** Every setting the server reads (see the README's settings table). */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  /** 'production': no Teams Emulator mode, /api/chat's `user` field only with API_TOKEN. */
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KNOWLEDGE_DIR: optional,
  INTENTS_DIR: optional,
  // LINE
  LINE_CHANNEL_SECRET: optional,
  LINE_CHANNEL_ACCESS_TOKEN: optional,
  LINE_API_BASE_URL: url.optional(),
  // Slack
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_API_URL: url.optional(),
  // Teams (Bot Framework)
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  /** 1: Teams endpoint without authentication for the Bot Framework Emulator (loopback serviceUrl only; never in production) */
  TEAMS_EMULATOR: z.enum(['0', '1']).default('0'),
  // Operations
  REDIS_URL: optional,
  ADMIN_TOKEN: optional,
  /** bearer token that lets an integration name the /api/chat conversation with `user` (src/channels/web/index.ts) */
  API_TOKEN: optional,
  UNANSWERED_LOG: optional,
  UNANSWERED_LOG_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** POST /api/chat requests a minute per client address (src/ops/limits.ts) */
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().positive().default(120),
  /** POST /api/chat requests in the engine at once; more get 429 */
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().positive().default(64),
  /** reverse proxies in front of the server whose X-Forwarded-For is believed (express `trust proxy`); 0 = none */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  CONVERSATION_TTL_SECONDS: z.coerce.number().int().positive().default(24 * 3600),
  /** in-memory store only (no REDIS_URL): most conversations kept, least recently used dropped first */
  MAX_CONVERSATIONS: z.coerce.number().int().positive().default(20_000),
  WATCH_KNOWLEDGE: z.enum(['0', '1']).default('1'),
  BODY_LIMIT: z.string().default('512kb'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** a request (headers and body) must arrive within this, ms; slower clients get 408 */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** the request headers must arrive within this, ms */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** on SIGTERM, /readyz answers 503 this long before the listener closes (at most half of SHUTDOWN_TIMEOUT_MS) */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(2_000),
});
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Reads and validates the configuration.
 * @throws Error whose message names each missing or malformed variable, one per line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`LINE_CHANNEL_SECRET=` in an env file) means unset.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const res = ConfigSchema.safeParse(given);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = res.data;
  const pairs: [keyof Config, keyof Config][] = [
    ['LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN'],
    ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'],
  ];
  const half = pairs.filter(([a, b]) => Boolean(c[a]) !== Boolean(c[b])).map(([a, b]) => `${c[a] ? b : a}: missing (set both ${a} and ${b}, or neither)`);
  if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD && c.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    half.push('MICROSOFT_APP_PASSWORD: missing (required with MICROSOFT_APP_ID)');
  }
  if (c.MICROSOFT_APP_TYPE === 'SingleTenant' && !c.MICROSOFT_APP_TENANT_ID) {
    half.push('MICROSOFT_APP_TENANT_ID: missing (required when MICROSOFT_APP_TYPE is SingleTenant)');
  }
  if (half.length) throw new Error(`invalid configuration:\n${half.join('\n')}`);
  return c;
}
