//! A bounded timing experiment, not part of the default suite: 100,000 generated chat messages
//! (half English, half Chinese, 100 conversations interleaved in time), imported in batches of
//! 1,000 with a commit each, then newest-first searches of one or two keywords in one
//! conversation and across all, 20 hits a page.
//!
//! Run it in release mode:
//! `cargo test --release -p tim-search --test perf -- --ignored --nocapture`
//! (`TIM_SEARCH_PERF_DOCS` changes the number of messages).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use tim_search::{SearchDoc, SearchIndex, SearchQuery};

const ENGLISH: &[&str] = &[
    "the", "to", "i", "you", "a", "and", "it", "is", "we", "in", "for", "that", "of", "on", "this",
    "be", "can", "at", "will", "have", "with", "me", "so", "are", "do", "not", "just", "tomorrow",
    "today", "meeting", "thanks", "please", "lunch", "dinner", "coffee", "office", "project",
    "release", "review", "deploy", "build", "test", "issue", "fix", "bug", "server", "report",
    "design", "document", "draft", "email", "phone", "weekend", "holiday", "trip", "flight",
    "hotel", "invoice", "payment", "database", "search", "index", "cache", "backup", "birthday",
    "party", "movie", "football", "weather", "family", "doctor", "garden", "pizza",
];
const CHINESE: &[&str] = &[
    "我们", "你们", "今天", "明天", "现在", "时间", "工作", "会议", "北京", "上海", "公司", "项目",
    "发布", "测试", "问题", "需要", "可以", "知道", "已经", "因为", "所以", "什么", "大家", "朋友",
    "客户", "晚上", "周末", "吃饭", "咖啡", "电话", "消息", "文件", "手机", "网络", "数据", "系统",
    "版本", "代码", "设计", "计划", "预算", "报告", "合同", "订单", "机场", "酒店", "天气", "生日",
    "谢谢", "收到", "安排", "完成", "上线", "部署", "密码", "搜索", "索引", "备份", "孩子", "医院",
    "电影", "足球", "旅游", "加班", "麻烦", "紧急",
];
const CHARACTERS: &[&str] = &[
    "的", "了", "是", "在", "我", "你", "好", "吗", "呢", "吧", "有", "不",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
    /// Skewed to the front: common words first.
    fn skewed(&mut self, n: usize) -> usize {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((unit * unit * n as f64) as usize).min(n - 1)
    }
}

fn sentence(rng: &mut Rng, english: bool) -> String {
    let mut text = String::new();
    for _ in 0..3 + rng.below(10) {
        if english {
            text.push_str(ENGLISH[rng.skewed(ENGLISH.len())]);
            text.push(' ');
        } else if rng.below(100) < 65 {
            text.push_str(CHINESE[rng.skewed(CHINESE.len())]);
        } else {
            text.push_str(CHARACTERS[rng.skewed(CHARACTERS.len())]);
        }
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label:<44} p50 {:>7.1} us   p99 {:>7.1} us   max {:>7.1} us",
        percentile(&times, 0.5).as_secs_f64() * 1e6,
        percentile(&times, 0.99).as_secs_f64() * 1e6,
        times.last().map_or(0.0, |t| t.as_secs_f64() * 1e6),
    );
}

fn time_queries(index: &SearchIndex, queries: &[SearchQuery]) -> Vec<Duration> {
    let mut times = Vec::with_capacity(queries.len());
    for query in queries {
        let start = Instant::now();
        let hits = index.search(query).unwrap();
        times.push(start.elapsed());
        assert!(hits.hits.len() <= 20);
    }
    times
}

#[test]
#[ignore = "timing experiment; run in release with --ignored --nocapture"]
fn newest_first_search_over_generated_history() {
    let count: usize = std::env::var("TIM_SEARCH_PERF_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let conversations = (count / 1000).max(1);
    let mut rng = Rng(7);
    let docs: Vec<SearchDoc> = (0..count)
        .map(|i| {
            let english = rng.below(2) == 0;
            SearchDoc {
                msg_id: format!("144115{i:010}-{}", rng.next() % 1_000_000),
                conv_key: format!("c2c_peer{}", rng.below(conversations)),
                sender: if rng.below(2) == 0 {
                    "me".into()
                } else {
                    "peer".into()
                },
                elem_types: vec![0],
                time: 1_700_000_000 + i as u64 * 15,
                text: sentence(&mut rng, english),
            }
        })
        .collect();

    // `TIM_SEARCH_PERF_DIR` keeps the index between runs (it is built when empty).
    let kept = std::env::var_os("TIM_SEARCH_PERF_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let path = kept.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let index = SearchIndex::open(&path).unwrap();
    if index.doc_count().unwrap() == 0 {
        let start = Instant::now();
        let mut commits = Vec::new();
        for batch in docs.chunks(1000) {
            index.upsert(batch).unwrap();
            let commit = Instant::now();
            index.commit().unwrap();
            commits.push(commit.elapsed());
        }
        let import = start.elapsed();
        println!(
            "import {count} docs in batches of 1000: {:.2} s ({:.0} docs/s)",
            import.as_secs_f64(),
            count as f64 / import.as_secs_f64()
        );
        report("commit of a 1000-doc batch", commits);
    }
    // Reopen so the reader sees the segments as background merges left them.
    drop(index);
    let index = SearchIndex::open(&path).unwrap();
    println!("doc count {}", index.doc_count().unwrap());

    let mut queries_conv = Vec::new();
    let mut queries_all = Vec::new();
    for case in 0..400 {
        let english = case % 4 < 2;
        let wanted = 1 + case % 2;
        // Keywords from one random message of the right language, as the benchmark picks them,
        // so every search in that message's conversation has a hit.
        let (source, mut keywords) = loop {
            let source = &docs[rng.below(docs.len())];
            let is_english = source.text.is_ascii();
            if is_english != english {
                continue;
            }
            let mut candidates: Vec<String> = if english {
                source.text.split_whitespace().map(str::to_owned).collect()
            } else {
                CHINESE
                    .iter()
                    .filter(|w| source.text.contains(*w))
                    .map(|w| (*w).to_owned())
                    .collect()
            };
            candidates.sort();
            candidates.dedup();
            if candidates.len() >= wanted {
                break (source, candidates);
            }
        };
        for i in 0..wanted {
            let j = i + rng.below(keywords.len() - i);
            keywords.swap(i, j);
        }
        keywords.truncate(wanted);
        let query = SearchQuery {
            keywords,
            match_all: true,
            limit: 20,
            ..SearchQuery::default()
        };
        queries_conv.push(SearchQuery {
            conv_key: Some(source.conv_key.clone()),
            ..query.clone()
        });
        queries_all.push(query);
    }
    // Warm up, then measure.
    time_queries(&index, &queries_conv);
    time_queries(&index, &queries_all);
    report(
        "one conversation, 1-2 keywords, 20 hits",
        time_queries(&index, &queries_conv),
    );
    report(
        "all conversations, 1-2 keywords, 20 hits",
        time_queries(&index, &queries_all),
    );
    let single: Vec<SearchQuery> = queries_all
        .iter()
        .filter(|q| q.keywords.len() == 1)
        .cloned()
        .collect();
    report(
        "all conversations, 1 keyword, 20 hits",
        time_queries(&index, &single),
    );
    let page_five: Vec<SearchQuery> = queries_conv
        .iter()
        .map(|q| SearchQuery {
            offset: 80,
            ..q.clone()
        })
        .collect();
    report(
        "one conversation, page 5 (offset 80)",
        time_queries(&index, &page_five),
    );
    let mut grouped = Vec::new();
    for query in queries_all.iter().take(100) {
        let start = Instant::now();
        index.count_by_conversation(query).unwrap();
        grouped.push(start.elapsed());
    }
    report("count_by_conversation, all conversations", grouped);
    if std::env::var_os("TIM_SEARCH_PERF_LOOP").is_some() {
        for _ in 0..50 {
            time_queries(&index, &queries_conv);
        }
    }
}
