// Writes datasets/capacity.csv: ~200 varied prompts for `stepbench capacity`.
// Deterministic (seeded), so re-running it reproduces the committed file byte for byte:
//   node datasets/tools/generate-capacity.mjs
// Lengths are mixed on purpose (one-liners to several paragraphs, Chinese and English) so the
// token-per-minute budget and the prompt-length part of TTFT are both exercised.
import { writeFileSync } from 'node:fs';

const ROWS = 200;

// mulberry32: a tiny seeded PRNG, so the file does not change between runs.
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(20240917);
const pick = (list) => list[Math.floor(random() * list.length)];

const SHORT_EN = [
  'What is the difference between TCP and UDP?',
  'Give me three names for a coffee shop near a university.',
  'Explain recursion to a ten-year-old.',
  'What does HTTP status 429 mean?',
  'Suggest a weekend itinerary for Shanghai in one sentence.',
  'Is a tomato a fruit or a vegetable?',
  'Write a one-line motivational quote about learning.',
  'What is the time complexity of binary search?',
  'Name four planets in the solar system.',
  'How do I reverse a list in Python?',
];
const SHORT_ZH = [
  '什么是大语言模型？',
  '推荐三本适合入门的经济学书籍。',
  '用一句话解释什么是区块链。',
  '北京和上海哪个城市人口更多？',
  '给一家面馆起三个名字。',
  '如何提高写作能力？给出两条建议。',
  '解释一下“内卷”这个词的意思。',
  '什么是 HTTP 的幂等性？',
  '写一句关于春天的诗。',
  '二分查找的前提条件是什么？',
];
const TOPICS_EN = [
  'remote work',
  'electric cars',
  'urban gardening',
  'open-source software',
  'sleep hygiene',
  'microservices',
  'renewable energy',
  'online education',
];
const TOPICS_ZH = [
  '新能源汽车',
  '远程办公',
  '城市夜经济',
  '人工智能教育',
  '垃圾分类',
  '短视频平台',
  '老龄化社会',
  '数字人民币',
];
const TASKS_EN = [
  (topic) => `Write a 150-word blog introduction about ${topic}.`,
  (topic) => `List five pros and five cons of ${topic}, one line each.`,
  (topic) => `Draft a short FAQ (four questions and answers) about ${topic}.`,
  (topic) => `Explain ${topic} to a skeptical manager in three short paragraphs.`,
];
const TASKS_ZH = [
  (topic) => `围绕“${topic}”写一段 200 字左右的评论。`,
  (topic) => `列出“${topic}”的三个优点和三个挑战。`,
  (topic) => `为一场关于“${topic}”的讲座写一个提纲。`,
  (topic) => `用通俗的语言向老人解释“${topic}”。`,
];
const PARAGRAPHS_EN = [
  'Our support team received 1,240 tickets last month. Most were about password resets and invoice downloads, and the median first response time was 3 hours 12 minutes.',
  'The new checkout flow removed one page and added Apple Pay. Conversion rose from 2.1% to 2.6%, but refunds also rose slightly, mostly for orders placed on mobile late at night.',
  'During the incident, the primary database failed over twice. The second failover took 94 seconds because a health check used a stale DNS entry, and the on-call engineer was paged only after 6 minutes.',
  'Customers in the pilot liked the offline mode but asked for a dark theme and larger fonts. Two enterprise accounts asked whether data is stored in mainland China or Singapore.',
];
const PARAGRAPHS_ZH = [
  '本季度公司营收同比增长 18%，其中海外业务贡献了 35%。但由于原材料价格上涨，毛利率下降了 2.4 个百分点。',
  '用户调研显示，超过六成的受访者希望 App 增加夜间模式，约四成用户反映首页加载速度偏慢，尤其是在地铁等弱网环境下。',
  '上周的线上故障由一次配置变更引起：缓存过期时间被误设为 0，导致数据库压力骤增。回滚后服务在 12 分钟内恢复。',
  '新员工培训计划包括三周的轮岗、一次项目实战和一场答辩。去年参加培训的 40 人中，有 37 人通过了试用期。',
];
const INSTRUCTIONS_EN = [
  'Summarise the notes above in three bullet points.',
  'What are the two most important follow-up actions? Answer briefly.',
  'Write a short status update for leadership based on the notes above.',
];
const INSTRUCTIONS_ZH = [
  '请用三条要点总结以上内容。',
  '根据以上内容，列出两项最需要跟进的工作。',
  '请基于以上内容写一段给管理层的简短汇报。',
];

function paragraphs(pool, count) {
  const chosen = [];
  for (let i = 0; i < count; i++) chosen.push(pick(pool));
  return chosen.join('\n\n');
}

function makeRow() {
  const roll = random();
  const chinese = random() < 0.5;
  if (roll < 0.35) {
    return {
      prompt: pick(chinese ? SHORT_ZH : SHORT_EN),
      maxTokens: random() < 0.4 ? 64 : '',
      tags: `short;${chinese ? 'zh' : 'en'}`,
    };
  }
  if (roll < 0.75) {
    const prompt = chinese ? pick(TASKS_ZH)(pick(TOPICS_ZH)) : pick(TASKS_EN)(pick(TOPICS_EN));
    return {
      prompt,
      maxTokens: random() < 0.5 ? pick([256, 384, 512]) : '',
      tags: `medium;${chinese ? 'zh' : 'en'}`,
    };
  }
  const count = 2 + Math.floor(random() * 4);
  const context = paragraphs(chinese ? PARAGRAPHS_ZH : PARAGRAPHS_EN, count);
  const instruction = pick(chinese ? INSTRUCTIONS_ZH : INSTRUCTIONS_EN);
  return {
    prompt: `${context}\n\n${instruction}`,
    maxTokens: random() < 0.6 ? pick([200, 300]) : '',
    tags: `long;${chinese ? 'zh' : 'en'}`,
  };
}

const csvCell = (value) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const lines = ['id,prompt,max_tokens,tags'];
for (let index = 1; index <= ROWS; index++) {
  const row = makeRow();
  const id = `cap-${String(index).padStart(3, '0')}`;
  lines.push([id, row.prompt, row.maxTokens, row.tags].map(csvCell).join(','));
}
const target = new URL('../capacity.csv', import.meta.url);
writeFileSync(target, `${lines.join('\n')}\n`);
console.log(`wrote ${ROWS} rows to ${target.pathname}`);
