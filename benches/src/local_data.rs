//! The generated chat history of the `local_engine` benchmark, and the answers it must give.
//!
//! [`LocalDataSet::generate`] builds `N` C2C text messages over `N / 1000` conversations
//! (peers `peer0`, `peer1`, ...), half English sentences from [`ENGLISH_WORDS`] and half
//! Chinese sentences from [`CHINESE_WORDS`] and [`CHINESE_CHARACTERS`], with strictly
//! increasing times and conversations interleaved in time. Everything comes from a seeded
//! [`Prng`], so two runs (and the two stores of one run) see exactly the same messages.
//!
//! The data set also knows the right answers, computed by brute force over its own texts:
//! [`LocalDataSet::expected_page`] for a history page and [`LocalDataSet::reference_search`]
//! for a keyword search (substring match for CJK keywords, whole-word case-insensitive match
//! otherwise; every keyword must match). The benchmark checks both stores against them.
//!
//! What it must never do: depend on a store (the answers come from the texts alone), or read
//! anything from outside (no files, no network, no clock).

use tim_model::enums::{ConvType, MsgStatus, Platform};
use tim_model::{Elem, Message, MessageId, Seq, TextElem};

/// How many messages one import call carries (as `TIMMsgImportMsgList` callers batch them).
pub const IMPORT_BATCH: usize = 1000;
/// How many messages each conversation holds (the last ones may hold one more or less).
pub const MESSAGES_PER_CONVERSATION: usize = 1000;
/// The user who owns the stores; the other side of every conversation is its peer.
pub const OWNER: &str = "me";
/// Time of the first message, UTC seconds (2023-11-14); later ones are 1..=30 s apart.
const FIRST_TIME: u64 = 1_700_000_000;

/// Common English chat words, roughly most frequent first (sentences pick early ones more
/// often). Lowercase ASCII letters only, no duplicates.
pub const ENGLISH_WORDS: &[&str] = &[
    "the", "to", "i", "you", "a", "and", "it", "is", "we", "in", "for", "that", "of", "on", "this",
    "be", "can", "at", "will", "have", "with", "me", "so", "are", "do", "not", "just", "my", "but",
    "what", "if", "ok", "get", "was", "your", "all", "about", "know", "when", "now", "up", "there",
    "go", "think", "time", "out", "see", "like", "good", "one", "let", "going", "tomorrow",
    "today", "meeting", "thanks", "please", "yes", "no", "need", "call", "back", "work", "team",
    "send", "want", "check", "sure", "later", "morning", "night", "week", "lunch", "dinner",
    "coffee", "office", "project", "release", "review", "deploy", "build", "test", "issue", "fix",
    "bug", "server", "client", "update", "plan", "schedule", "budget", "report", "design",
    "document", "draft", "email", "phone", "message", "chat", "weekend", "holiday", "trip",
    "flight", "hotel", "train", "station", "airport", "ticket", "price", "order", "invoice",
    "payment", "account", "password", "login", "network", "database", "search", "index", "query",
    "cache", "memory", "disk", "backup", "restore", "version", "branch", "merge", "commit",
    "happy", "birthday", "party", "music", "movie", "game", "football", "weather", "rain", "sunny",
    "cold", "warm", "family", "friend", "mother", "father", "kids", "school", "homework", "doctor",
    "hospital", "medicine", "garden", "kitchen", "pizza", "noodles", "rice", "tea", "water",
    "bread", "market", "shop", "bank", "card", "money", "salary", "contract", "customer",
    "partner", "manager", "engineer", "designer", "launch", "feature", "screen", "button", "image",
    "video", "upload", "download", "file", "folder", "link", "address", "street", "city", "river",
    "mountain", "beach", "island", "summer", "winter", "spring", "autumn", "monday", "friday",
    "sunday", "deadline", "urgent", "maybe", "really", "great", "awesome", "sorry", "quick",
    "slow", "early", "late", "again",
];

/// Common two-character Chinese words, roughly most frequent first. Queries use these.
pub const CHINESE_WORDS: &[&str] = &[
    "我们", "你们", "他们", "今天", "明天", "昨天", "现在", "时候", "时间", "工作", "会议", "开会",
    "北京", "上海", "深圳", "广州", "公司", "项目", "发布", "测试", "问题", "需要", "可以", "知道",
    "觉得", "已经", "还是", "因为", "所以", "但是", "如果", "然后", "什么", "怎么", "这个", "那个",
    "一下", "一起", "一直", "没有", "不是", "就是", "还有", "大家", "朋友", "同事", "老板", "客户",
    "晚上", "早上", "中午", "下午", "周末", "下周", "上周", "吃饭", "咖啡", "午饭", "晚饭", "电话",
    "消息", "邮件", "文件", "图片", "视频", "地址", "手机", "电脑", "网络", "服务", "数据", "系统",
    "版本", "功能", "代码", "需求", "设计", "方案", "计划", "进度", "预算", "报告", "合同", "价格",
    "订单", "付款", "发票", "快递", "机场", "航班", "酒店", "火车", "地铁", "天气", "下雨", "周一",
    "周五", "生日", "快乐", "谢谢", "辛苦", "没事", "好的", "收到", "确认", "安排", "准备", "开始",
    "结束", "完成", "检查", "修改", "更新", "上线", "回滚", "部署", "登录", "密码", "账号", "搜索",
    "索引", "缓存", "内存", "磁盘", "备份", "恢复", "分支", "合并", "提交", "孩子", "学校", "作业",
    "医生", "医院", "家人", "父母", "电影", "音乐", "游戏", "足球", "运动", "旅游", "休息", "加班",
    "请假", "放假", "回家", "出门", "路上", "马上", "稍等", "一会", "明白", "清楚", "麻烦", "帮忙",
    "重要", "紧急", "简单", "方便",
];

/// Common single Chinese characters (particles, pronouns, verbs) that sit between words.
pub const CHINESE_CHARACTERS: &[&str] = &[
    "的", "了", "是", "在", "我", "你", "他", "她", "好", "吗", "呢", "吧", "啊", "有", "和", "就",
    "不", "人", "都", "也", "很", "到", "说", "要", "去", "会", "着", "没", "看", "来", "这", "那",
    "个", "上", "下", "大", "小", "多", "少", "对", "还", "再", "又", "先", "给", "让", "把", "被",
    "从", "跟", "等",
];

/// SplitMix64: a tiny, fast, seeded generator. Not cryptographic; its only job is to give the
/// same sequence for the same seed on every machine.
#[derive(Debug, Clone)]
pub struct Prng {
    state: u64,
}

impl Prng {
    /// A generator that always yields the same sequence for `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0). The bias of the multiply-shift reduction
    /// is far below anything a benchmark could notice.
    pub fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// An index in `0..len` skewed to the front (density about `1/sqrt(i)`), so that the first
    /// words of a frequency-ordered list are common and the last ones rare, as in real text.
    pub fn skewed_index(&mut self, len: usize) -> usize {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((unit * unit * len as f64) as usize).min(len.saturating_sub(1))
    }

    /// Shuffles `items` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            let other = self.below(last + 1);
            items.swap(last, other);
        }
    }
}

/// One generated message: everything needed to build its [`Message`] and to answer queries.
#[derive(Debug, Clone)]
pub struct GeneratedMessage {
    /// Its conversation: the C2C conversation with `peer{conversation}`.
    pub conversation: u32,
    /// Its seq in that conversation, from 1.
    pub seq: u64,
    /// Client and server time, UTC seconds; strictly increasing over the whole data set.
    pub time: u64,
    /// Its random number (part of the message ID, never 0).
    pub rand: u64,
    /// Sent by the peer (true) or by [`OWNER`] (false).
    pub from_peer: bool,
    /// An English sentence (true) or a Chinese one (false).
    pub english: bool,
    /// The text element's content.
    pub text: String,
}

/// The whole generated history: messages in time order, and each conversation's messages.
#[derive(Debug, Clone)]
pub struct LocalDataSet {
    messages: Vec<GeneratedMessage>,
    /// For each conversation, the indices (into `messages`) of its messages, oldest first.
    by_conversation: Vec<Vec<u32>>,
}

/// One keyword search: all `keywords` must match (`kTIMKeywordListMatchType_And`), within one
/// conversation, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCase {
    /// The conversation searched.
    pub conversation: usize,
    /// One or two keywords: English words or Chinese two-character words.
    pub keywords: Vec<String>,
    /// Whether the keywords are English (else Chinese).
    pub english: bool,
}

impl SearchCase {
    /// A short label of the case's kind, e.g. `English x2`.
    pub fn kind(&self) -> String {
        let language = if self.english { "English" } else { "Chinese" };
        format!("{language} x{}", self.keywords.len())
    }
}

/// One history page request: the messages before the one at `anchor_position` of a
/// conversation, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCase {
    /// The conversation paged.
    pub conversation: usize,
    /// Position of the anchor message in the conversation, oldest first (at least 1).
    pub anchor_position: usize,
}

impl LocalDataSet {
    /// `count` messages over `max(1, count / 1000)` conversations, all from `seed`.
    pub fn generate(count: usize, seed: u64) -> Self {
        let mut rng = Prng::new(seed);
        let conversations = (count / MESSAGES_PER_CONVERSATION).max(1);
        // Every conversation gets its share, in a shuffled order over time.
        let mut owners: Vec<u32> = (0..count).map(|i| (i % conversations) as u32).collect();
        rng.shuffle(&mut owners);

        let mut by_conversation: Vec<Vec<u32>> = vec![Vec::new(); conversations];
        let mut messages = Vec::with_capacity(count);
        let mut time = FIRST_TIME;
        for (index, conversation) in owners.into_iter().enumerate() {
            time += rng.between(1, 30) as u64;
            let history = &mut by_conversation[conversation as usize];
            history.push(index as u32);
            let english = rng.percent(50);
            let text = if english {
                english_sentence(&mut rng)
            } else {
                chinese_sentence(&mut rng)
            };
            messages.push(GeneratedMessage {
                conversation,
                seq: history.len() as u64,
                time,
                rand: (rng.next_u64() & 0xFFFF_FFFF) | 1,
                from_peer: rng.percent(50),
                english,
                text,
            });
        }
        Self {
            messages,
            by_conversation,
        }
    }

    /// Number of messages.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether there are no messages.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Number of conversations.
    pub fn conversations(&self) -> usize {
        self.by_conversation.len()
    }

    /// The message at `index` (time order).
    pub fn get(&self, index: usize) -> Option<&GeneratedMessage> {
        self.messages.get(index)
    }

    /// The indices of a conversation's messages, oldest first (empty for an unknown one).
    pub fn conversation(&self, conversation: usize) -> &[u32] {
        self.by_conversation
            .get(conversation)
            .map_or(&[], Vec::as_slice)
    }

    /// The peer of a conversation, which is also its C2C conversation ID: `peer{n}`.
    pub fn peer(conversation: usize) -> String {
        format!("peer{conversation}")
    }

    /// The message ID of the message at `index`, in the shape TIM gives them.
    pub fn msg_id(&self, index: usize) -> String {
        let (time, rand) = self
            .messages
            .get(index)
            .map_or((0, 0), |message| (message.time, message.rand));
        format!("144115{index:010}-{time}-{rand}")
    }

    /// The index of the message whose ID is `msg_id` (the inverse of [`Self::msg_id`]), for
    /// naming messages in a report; `None` for an ID this data set did not make.
    pub fn index_of_msg_id(&self, msg_id: &str) -> Option<usize> {
        let index: usize = msg_id.get(6..16)?.parse().ok()?;
        (index < self.messages.len() && self.msg_id(index) == msg_id).then_some(index)
    }

    /// The message at `index` as it is stored after an import: a text element, IDs, times,
    /// seq, sender and the `LocalImported` status. `None` for an index out of range.
    pub fn message(&self, index: usize) -> Option<Message> {
        let generated = self.messages.get(index)?;
        let peer = Self::peer(generated.conversation as usize);
        let sender = if generated.from_peer {
            peer.clone()
        } else {
            OWNER.to_owned()
        };
        Some(Message {
            elems: vec![Elem::Text(TextElem {
                content: generated.text.clone(),
            })],
            conv_id: peer,
            conv_type: ConvType::C2c,
            is_from_self: !generated.from_peer,
            sender,
            client_time: generated.time,
            server_time: generated.time,
            platform: Platform::Android,
            status: Some(MsgStatus::LocalImported),
            // A message ID of ASCII digits and dashes well under 128 bytes is always valid.
            msg_id: MessageId::new(&self.msg_id(index)).ok(),
            rand: generated.rand,
            seq: Seq(generated.seq),
            ..Message::default()
        })
    }

    /// The messages of `indices` (see [`Self::message`]); unknown indices are skipped.
    pub fn messages(&self, indices: &[u32]) -> Vec<Message> {
        indices
            .iter()
            .filter_map(|&index| self.message(index as usize))
            .collect()
    }

    /// `count` page requests at random positions of random conversations.
    pub fn page_cases(&self, count: usize, seed: u64) -> Vec<PageCase> {
        let mut rng = Prng::new(seed);
        (0..count)
            .map(|_| {
                let conversation = rng.below(self.conversations());
                let len = self.conversation(conversation).len();
                PageCase {
                    conversation,
                    anchor_position: rng.between(1, len.saturating_sub(1).max(1)),
                }
            })
            .collect()
    }

    /// The message indices of the page before `case`'s anchor, newest first, at most `count`.
    pub fn expected_page(&self, case: PageCase, count: usize) -> Vec<usize> {
        let history = self.conversation(case.conversation);
        let end = case.anchor_position.min(history.len());
        history[end.saturating_sub(count)..end]
            .iter()
            .rev()
            .map(|&index| index as usize)
            .collect()
    }

    /// `count` searches in random conversations, cycling through English and Chinese with one
    /// and two keywords. The keywords come from one random message of the right language, so
    /// every search has at least one hit and common words are searched more often.
    pub fn search_cases(&self, count: usize, seed: u64) -> Result<Vec<SearchCase>, String> {
        const ATTEMPTS: usize = 10_000;
        let mut rng = Prng::new(seed);
        let mut cases = Vec::with_capacity(count);
        for case_number in 0..count {
            let english = case_number % 4 < 2;
            let wanted = 1 + case_number % 2;
            let found = (0..ATTEMPTS).find_map(|_| {
                let conversation = rng.below(self.conversations());
                let history = self.conversation(conversation);
                let index = *history.get(rng.below(history.len()))? as usize;
                let message = self.messages.get(index)?;
                if message.english != english {
                    return None;
                }
                let mut candidates = if english {
                    let mut words = words_of(&message.text);
                    words.sort_unstable();
                    words.dedup();
                    words
                } else {
                    CHINESE_WORDS
                        .iter()
                        .filter(|word| message.text.contains(*word))
                        .map(|word| (*word).to_owned())
                        .collect()
                };
                if candidates.len() < wanted {
                    return None;
                }
                rng.shuffle(&mut candidates);
                candidates.truncate(wanted);
                Some(SearchCase {
                    conversation,
                    keywords: candidates,
                    english,
                })
            });
            let case = found.ok_or_else(|| {
                format!("no message gives {wanted} keyword(s) after {ATTEMPTS} attempts")
            })?;
            cases.push(case);
        }
        Ok(cases)
    }

    /// The brute-force answer to `case`: the indices of the newest `limit` messages of its
    /// conversation whose text matches every keyword, newest first.
    pub fn reference_search(&self, case: &SearchCase, limit: usize) -> Vec<usize> {
        self.conversation(case.conversation)
            .iter()
            .rev()
            .map(|&index| index as usize)
            .filter(|&index| {
                self.messages.get(index).is_some_and(|message| {
                    case.keywords
                        .iter()
                        .all(|keyword| text_matches(&message.text, keyword))
                })
            })
            .take(limit)
            .collect()
    }
}

/// Whether `text` matches `keyword` the way a message search should: a keyword with CJK
/// characters as a substring (those scripts have no word spaces), any other keyword as a whole
/// word, case-insensitively.
pub fn text_matches(text: &str, keyword: &str) -> bool {
    if keyword.chars().any(crate::fts5_text::is_cjk) {
        text.contains(keyword)
    } else {
        let keyword = keyword.to_lowercase();
        words_of(text).contains(&keyword)
    }
}

/// The lowercase words of `text`: runs of letters and digits.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// An English sentence of 3..=14 words, capitalised, with the odd comma.
fn english_sentence(rng: &mut Prng) -> String {
    let words = rng.between(3, 14);
    let mut text = String::new();
    for position in 0..words {
        let word = ENGLISH_WORDS[rng.skewed_index(ENGLISH_WORDS.len())];
        if position == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push(' ');
            text.push_str(word);
        }
        if position + 1 < words && rng.percent(8) {
            text.push(',');
        }
    }
    text.push(['.', '?', '!'][rng.below(3)]);
    text
}

/// A Chinese sentence of 4..=12 units, each a two-character word or a single character, with
/// the odd full-width comma.
fn chinese_sentence(rng: &mut Prng) -> String {
    let units = rng.between(4, 12);
    let mut text = String::new();
    for position in 0..units {
        let unit = if rng.percent(65) {
            CHINESE_WORDS[rng.skewed_index(CHINESE_WORDS.len())]
        } else {
            CHINESE_CHARACTERS[rng.skewed_index(CHINESE_CHARACTERS.len())]
        };
        text.push_str(unit);
        if position + 1 < units && rng.percent(12) {
            text.push('，');
        }
    }
    text.push(['。', '？', '！'][rng.below(3)]);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_word_lists_are_clean() {
        let english: HashSet<_> = ENGLISH_WORDS.iter().collect();
        assert_eq!(english.len(), ENGLISH_WORDS.len(), "duplicate English word");
        assert!(
            ENGLISH_WORDS
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        );
        let chinese: HashSet<_> = CHINESE_WORDS.iter().collect();
        assert_eq!(chinese.len(), CHINESE_WORDS.len(), "duplicate Chinese word");
        assert!(CHINESE_WORDS.iter().all(|w| w.chars().count() == 2));
        assert!(CHINESE_CHARACTERS.iter().all(|c| c.chars().count() == 1));
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let one = LocalDataSet::generate(3_000, 7);
        let two = LocalDataSet::generate(3_000, 7);
        assert_eq!(one.messages(&[0, 1, 2_999]), two.messages(&[0, 1, 2_999]));
        assert_ne!(
            LocalDataSet::generate(3_000, 8)
                .get(0)
                .map(|m| m.text.clone()),
            one.get(0).map(|m| m.text.clone())
        );
    }

    #[test]
    fn conversations_share_the_messages_with_increasing_times_and_seqs() {
        let data = LocalDataSet::generate(3_000, 1);
        assert_eq!((data.len(), data.conversations()), (3_000, 3));
        for conversation in 0..3 {
            let history = data.conversation(conversation);
            assert_eq!(history.len(), 1_000);
            let times: Vec<u64> = history
                .iter()
                .map(|&i| data.messages[i as usize].time)
                .collect();
            assert!(times.windows(2).all(|pair| pair[0] < pair[1]));
            let seqs: Vec<u64> = history
                .iter()
                .map(|&i| data.messages[i as usize].seq)
                .collect();
            assert_eq!(seqs, (1..=1_000).collect::<Vec<_>>());
        }
        let english = data.messages.iter().filter(|m| m.english).count();
        assert!(
            (1_300..1_700).contains(&english),
            "{english} English messages"
        );
        let message = data.message(5).unwrap();
        assert_eq!(
            message.conv_id,
            LocalDataSet::peer(data.messages[5].conversation as usize)
        );
        assert_eq!(message.msg_id.unwrap().as_str(), data.msg_id(5));
        assert_eq!(data.index_of_msg_id(&data.msg_id(2_999)), Some(2_999));
        assert_eq!(data.index_of_msg_id("144115000000000x-1-1"), None);
    }

    #[test]
    fn pages_are_the_older_messages_newest_first() {
        let data = LocalDataSet::generate(2_000, 3);
        let case = PageCase {
            conversation: 1,
            anchor_position: 5,
        };
        let history = data.conversation(1);
        let expected: Vec<usize> = history[..5].iter().rev().map(|&i| i as usize).collect();
        assert_eq!(data.expected_page(case, 20), expected);
        assert_eq!(
            data.expected_page(
                PageCase {
                    anchor_position: 500,
                    ..case
                },
                20
            )
            .len(),
            20
        );
        for case in data.page_cases(100, 9) {
            assert!((1..1_000).contains(&case.anchor_position));
        }
    }

    #[test]
    fn keywords_match_words_and_chinese_substrings() {
        assert!(text_matches("Lunch at noon, team?", "team"));
        assert!(text_matches("Lunch at noon", "LUNCH"));
        assert!(!text_matches("teammates at noon", "team"));
        assert!(text_matches("我们明天去北京开会", "北京"));
        assert!(!text_matches("北方的京城很大", "北京"));
    }

    #[test]
    fn every_search_case_has_hits_newest_first() {
        let data = LocalDataSet::generate(2_000, 5);
        let cases = data.search_cases(40, 11).unwrap();
        let kinds: HashSet<String> = cases.iter().map(SearchCase::kind).collect();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        for case in &cases {
            let hits = data.reference_search(case, 20);
            assert!(!hits.is_empty(), "{case:?}");
            assert!(hits.windows(2).all(|pair| pair[0] > pair[1]));
        }
    }
}
