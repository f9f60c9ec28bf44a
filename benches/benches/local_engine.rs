//! tim's local engine against SQLite on the same generated chat history, in the same run.
//!
//! Both stores receive the same `N` messages (`tim_benches::local_data`: C2C text messages, half
//! English and half Chinese, 1,000 per conversation) and answer the same requests:
//!
//! - import: 1,000 messages of one conversation per call (`TIMMsgImportMsgList`); ours is
//!   `Engine::import_messages` (store and search index), SQLite one transaction writing the
//!   message rows and their FTS5 text (see `local_engine/sqlite.rs`);
//! - page: 1,000 history pages of 20 messages older than an anchor at a random position of a
//!   random conversation (`TIMMsgGetMsgList`), decoded into the model;
//! - search: 1,000 keyword searches within one conversation (one or two keywords, all must
//!   match; English words and Chinese two-character words), the newest 20 hits, decoded;
//! - open: the time to open a store holding the `N` messages and answer a first page (and
//!   `Engine::open` alone), and the size of each store on disk.
//!
//! Calls of the two sides alternate, so background load hits both alike, and the last lines
//! print ours/SQLite for every measurement beside the targets of the local engine issue.
//! Before anything is timed, a sample of pages and searches is checked on both sides against
//! the brute-force answers of the data set, and the run aborts if either side is wrong; every
//! timed answer is checked too (after its clock stops), and the run fails if one was wrong.
//!
//! Run: `cargo bench -p tim-benches --bench local_engine` (1,000,000 messages; several
//! minutes) or with `TIM_BENCH_MESSAGES=100000` for a quick run; `TIM_BENCH_DIR` picks the
//! folder the stores are written under (default: the system temp dir). Under
//! `cargo test --benches` it runs everything on 2,000 messages with fewer requests.

#[path = "local_engine/answers.rs"]
mod answers;
#[path = "local_engine/ours.rs"]
mod ours;
#[path = "local_engine/report.rs"]
mod report;
#[path = "local_engine/sqlite.rs"]
mod sqlite;

use answers::{check, describe_page, describe_search};
use ours::OurStore;
use report::{Both, Pair, Results};
use sqlite::SqliteStore;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tim_benches::latency::Latencies;
use tim_benches::local_data::{IMPORT_BATCH, LocalDataSet, OWNER, PageCase, SearchCase};
use tim_model::Message;

/// The seed of the data set and of every request list.
const SEED: u64 = 0x7469_6d5f_6c6f_6361;
/// Messages per page and search results per search.
const PAGE: usize = 20;

/// How big this run is.
struct Settings {
    /// Messages in the data set.
    messages: usize,
    /// Timed pages, and timed searches.
    requests: usize,
    /// Pages, and searches, checked before timing starts.
    checked_first: usize,
    /// Times each store is reopened (the median is reported).
    open_rounds: usize,
    /// Where the stores are written.
    parent_dir: PathBuf,
}

impl Settings {
    /// The full benchmark (`cargo bench`), or a smoke run of a few seconds otherwise.
    fn from_env(benchmarking: bool) -> Result<Self, String> {
        let parent_dir =
            std::env::var_os("TIM_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
        if !benchmarking {
            return Ok(Self {
                messages: 2_000,
                requests: 40,
                checked_first: 20,
                open_rounds: 1,
                parent_dir,
            });
        }
        let messages = match std::env::var("TIM_BENCH_MESSAGES") {
            Err(_) => 1_000_000,
            Ok(text) => text
                .trim()
                .replace('_', "")
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1_000)
                .ok_or_else(|| {
                    format!("TIM_BENCH_MESSAGES={text:?}: expected a whole number of at least 1000")
                })?,
        };
        Ok(Self {
            messages,
            requests: 1_000,
            checked_first: 50,
            open_rounds: 5,
            parent_dir,
        })
    }
}

/// Both stores of one run, in their own folders under a temporary directory.
struct Stores {
    ours: OurStore,
    sqlite: SqliteStore,
    ours_dir: PathBuf,
    sqlite_dir: PathBuf,
}

impl Stores {
    fn open(ours_dir: &Path, sqlite_dir: &Path) -> Result<Self, String> {
        Ok(Self {
            ours: OurStore::open(ours_dir, OWNER)?,
            sqlite: SqliteStore::open(&sqlite_dir.join("messages.sqlite"))?,
            ours_dir: ours_dir.to_owned(),
            sqlite_dir: sqlite_dir.to_owned(),
        })
    }
}

/// Runs `work` and returns its result with the time it took.
fn timed<T>(work: impl FnOnce() -> Result<T, String>) -> Result<(T, Duration), String> {
    let started = Instant::now();
    let result = work()?;
    Ok((result, started.elapsed()))
}

/// `true` on even steps: which side goes first alternates, so neither always finds the other's
/// warm caches.
fn ours_first(step: usize) -> bool {
    step.is_multiple_of(2)
}

/// The conversation key of SQLite's tables for a peer (tim's `c2c_<peer>` form).
fn sqlite_key(peer: &str) -> String {
    format!("c2c_{peer}")
}

/// Imports the whole data set into both stores, 1,000 messages of one conversation per call;
/// returns the time each side spent in its calls (building the messages is not timed).
fn import(data: &LocalDataSet, stores: &mut Stores) -> Result<(Duration, Duration), String> {
    let (mut ours_total, mut sqlite_total) = (Duration::ZERO, Duration::ZERO);
    let mut step = 0;
    let progress_every = (data.conversations() / 10).max(1);
    for conversation in 0..data.conversations() {
        let peer = LocalDataSet::peer(conversation);
        let key = sqlite_key(&peer);
        for batch in data.conversation(conversation).chunks(IMPORT_BATCH) {
            let messages = data.messages(batch);
            let copy = messages.clone();
            let run_ours = || timed(|| stores.ours.import(&peer, copy));
            let (ours, sqlite) = if ours_first(step) {
                let ours = run_ours()?.1;
                (ours, timed(|| stores.sqlite.import(&key, &messages))?.1)
            } else {
                let sqlite = timed(|| stores.sqlite.import(&key, &messages))?.1;
                (run_ours()?.1, sqlite)
            };
            ours_total += ours;
            sqlite_total += sqlite;
            step += 1;
        }
        if (conversation + 1).is_multiple_of(progress_every) {
            println!(
                "  imported {} conversations: ours {:.1} s, SQLite {:.1} s",
                conversation + 1,
                ours_total.as_secs_f64(),
                sqlite_total.as_secs_f64()
            );
        }
    }
    Ok((ours_total, sqlite_total))
}

/// One page request on both sides: (ours, SQLite) answers and times.
type Timed = (Vec<Message>, Duration);

fn run_page(
    data: &LocalDataSet,
    stores: &Stores,
    case: PageCase,
    step: usize,
) -> Result<(Timed, Timed), String> {
    let peer = LocalDataSet::peer(case.conversation);
    let key = sqlite_key(&peer);
    let anchor = &data
        .conversation(case.conversation)
        .get(case.anchor_position)
        .and_then(|&index| data.message(index as usize))
        .ok_or_else(|| format!("{}: no such anchor", describe_page(case)))?;
    let ours = || timed(|| stores.ours.page(&peer, anchor, PAGE));
    let sqlite = || timed(|| stores.sqlite.page(&key, anchor.server_time, PAGE));
    if ours_first(step) {
        let ours = ours()?;
        Ok((ours, sqlite()?))
    } else {
        let sqlite = sqlite()?;
        Ok((ours()?, sqlite))
    }
}

fn run_search(stores: &Stores, case: &SearchCase, step: usize) -> Result<(Timed, Timed), String> {
    let peer = LocalDataSet::peer(case.conversation);
    let key = sqlite_key(&peer);
    let ours = || timed(|| stores.ours.search(&peer, &case.keywords, PAGE));
    let sqlite = || timed(|| stores.sqlite.search(&key, &case.keywords, PAGE));
    if ours_first(step) {
        let ours = ours()?;
        Ok((ours, sqlite()?))
    } else {
        let sqlite = sqlite()?;
        Ok((ours()?, sqlite))
    }
}

/// Checks a sample of pages and searches on both sides before anything is timed; any wrong
/// answer aborts the run, since timing wrong answers would mean nothing.
fn check_first(data: &LocalDataSet, stores: &Stores, count: usize) -> Result<(), String> {
    let mut problems = Vec::new();
    for (step, case) in data.page_cases(count, SEED ^ 1).into_iter().enumerate() {
        let ((ours, _), (sqlite, _)) = run_page(data, stores, case, step)?;
        let expected = data.expected_page(case, PAGE);
        problems.extend(check(data, &describe_page(case), &expected, &ours, &sqlite));
    }
    for (step, case) in data.search_cases(count, SEED ^ 2)?.iter().enumerate() {
        let ((ours, _), (sqlite, _)) = run_search(stores, case, step)?;
        let expected = data.reference_search(case, PAGE);
        problems.extend(check(
            data,
            &describe_search(case),
            &expected,
            &ours,
            &sqlite,
        ));
    }
    if problems.is_empty() {
        println!(
            "  {count} pages and {count} searches: both sides return exactly the expected messages"
        );
        Ok(())
    } else {
        Err(format!(
            "wrong answers before timing ({} of them), so nothing was timed:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ))
    }
}

fn time_pages(
    data: &LocalDataSet,
    stores: &Stores,
    count: usize,
    problems: &mut Vec<String>,
) -> Result<Pair, String> {
    let mut pair = Pair::default();
    for (step, case) in data.page_cases(count, SEED ^ 3).into_iter().enumerate() {
        let ((ours, ours_time), (sqlite, sqlite_time)) = run_page(data, stores, case, step)?;
        pair.push(ours_time, sqlite_time);
        let expected = data.expected_page(case, PAGE);
        problems.extend(check(data, &describe_page(case), &expected, &ours, &sqlite));
    }
    Ok(pair)
}

/// Times the searches; returns the latencies of all of them and of each kind (`English x1`, ...).
fn time_searches(
    data: &LocalDataSet,
    stores: &Stores,
    count: usize,
    problems: &mut Vec<String>,
) -> Result<(Pair, BTreeMap<String, Pair>), String> {
    let mut all = Pair::default();
    let mut by_kind: BTreeMap<String, Pair> = BTreeMap::new();
    for (step, case) in data.search_cases(count, SEED ^ 4)?.iter().enumerate() {
        let ((ours, ours_time), (sqlite, sqlite_time)) = run_search(stores, case, step)?;
        all.push(ours_time, sqlite_time);
        by_kind
            .entry(case.kind())
            .or_default()
            .push(ours_time, sqlite_time);
        let expected = data.reference_search(case, PAGE);
        problems.extend(check(
            data,
            &describe_search(case),
            &expected,
            &ours,
            &sqlite,
        ));
    }
    Ok((all, by_kind))
}

/// Total size of the files under `path`.
fn size_on_disk(path: &Path) -> Result<u64, String> {
    let mut total = 0;
    let entries = std::fs::read_dir(path).map_err(|err| format!("{}: {err}", path.display()))?;
    for entry in entries {
        let entry = entry.map_err(|err| format!("{}: {err}", path.display()))?;
        let kind = entry
            .file_type()
            .map_err(|err| format!("{}: {err}", entry.path().display()))?;
        if kind.is_dir() {
            total += size_on_disk(&entry.path())?;
        } else {
            let meta = entry
                .metadata()
                .map_err(|err| format!("{}: {err}", entry.path().display()))?;
            total += meta.len();
        }
    }
    Ok(total)
}

/// Open times after the stores were closed: (ours `Engine::open` alone, ours open + first
/// page, SQLite open + first page), medians of `rounds` rounds.
fn time_opens(
    data: &LocalDataSet,
    ours_dir: &Path,
    sqlite_dir: &Path,
    rounds: usize,
) -> Result<(Duration, Duration, Duration), String> {
    let case = data
        .page_cases(1, SEED ^ 5)
        .into_iter()
        .next()
        .ok_or("no page case for the first query")?;
    let peer = LocalDataSet::peer(case.conversation);
    let anchor = data
        .conversation(case.conversation)
        .get(case.anchor_position)
        .and_then(|&index| data.message(index as usize))
        .ok_or("no anchor for the first query")?;
    let (mut open_only, mut ours, mut sqlite) =
        (Latencies::new(), Latencies::new(), Latencies::new());
    for round in 0..rounds.max(1) {
        let run_ours = |open_only: &mut Latencies| -> Result<Duration, String> {
            let started = Instant::now();
            let store = OurStore::open(ours_dir, OWNER)?;
            open_only.push(started.elapsed());
            store.page(&peer, &anchor, PAGE)?;
            Ok(started.elapsed())
        };
        let run_sqlite = || -> Result<Duration, String> {
            let started = Instant::now();
            let store = SqliteStore::open(&sqlite_dir.join("messages.sqlite"))?;
            store.page(&sqlite_key(&peer), anchor.server_time, PAGE)?;
            let elapsed = started.elapsed();
            store.close()?;
            Ok(elapsed)
        };
        if ours_first(round) {
            ours.push(run_ours(&mut open_only)?);
            sqlite.push(run_sqlite()?);
        } else {
            sqlite.push(run_sqlite()?);
            ours.push(run_ours(&mut open_only)?);
        }
    }
    Ok((open_only.p50(), ours.p50(), sqlite.p50()))
}

fn run(settings: &Settings) -> Result<Vec<String>, String> {
    let started = Instant::now();
    let data = LocalDataSet::generate(settings.messages, SEED);
    println!(
        "local_engine: {} messages in {} conversations generated in {:.1} s; SQLite {}",
        data.len(),
        data.conversations(),
        started.elapsed().as_secs_f64(),
        SqliteStore::version()
    );
    let dir = tempfile::Builder::new()
        .prefix("tim-local-engine-")
        .tempdir_in(&settings.parent_dir)
        .map_err(|err| format!("temp dir under {}: {err}", settings.parent_dir.display()))?;
    let (ours_dir, sqlite_dir) = (dir.path().join("ours"), dir.path().join("sqlite"));
    for folder in [&ours_dir, &sqlite_dir] {
        std::fs::create_dir_all(folder).map_err(|err| format!("{}: {err}", folder.display()))?;
    }
    println!("  stores under {}", dir.path().display());
    let mut stores = Stores::open(&ours_dir, &sqlite_dir)?;

    println!(
        "import: {} calls of up to {IMPORT_BATCH} messages",
        data.len().div_ceil(IMPORT_BATCH)
    );
    let (ours_import, sqlite_import) = import(&data, &mut stores)?;
    println!("checking answers before timing");
    check_first(&data, &stores, settings.checked_first)?;

    let mut problems = Vec::new();
    println!(
        "pages: {} requests of {PAGE} older messages",
        settings.requests
    );
    let pages = time_pages(&data, &stores, settings.requests, &mut problems)?;
    println!(
        "searches: {} requests, newest {PAGE} hits in one conversation",
        settings.requests
    );
    let (searches, searches_by_kind) =
        time_searches(&data, &stores, settings.requests, &mut problems)?;

    let Stores {
        ours,
        sqlite,
        ours_dir,
        sqlite_dir,
    } = stores;
    drop(ours);
    sqlite.close()?;
    let (ours_size, sqlite_size) = (size_on_disk(&ours_dir)?, size_on_disk(&sqlite_dir)?);
    println!(
        "open: {} rounds of reopening each store",
        settings.open_rounds
    );
    let (open_only, ours_open, sqlite_open) =
        time_opens(&data, &ours_dir, &sqlite_dir, settings.open_rounds)?;

    report::print(&Results {
        messages: data.len(),
        conversations: data.conversations(),
        sqlite_version: SqliteStore::version(),
        import: Both {
            ours: ours_import,
            sqlite: sqlite_import,
        },
        pages,
        searches,
        searches_by_kind,
        open_only,
        open: Both {
            ours: ours_open,
            sqlite: sqlite_open,
        },
        size: Both {
            ours: ours_size,
            sqlite: sqlite_size,
        },
    });
    Ok(problems)
}

/// Whether cargo ran this target to benchmark (`cargo bench`) rather than to smoke-test it
/// (`cargo test --benches`), by the rule criterion applies to the same flags.
fn benchmarking(args: &[String]) -> bool {
    let flag = |name: &str| args.iter().any(|arg| arg == name);
    flag("--bench") && !flag("--test") && !flag("--list")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "--list") {
        // Nothing to list: this harness runs as one benchmark.
        return ExitCode::SUCCESS;
    }
    // `cargo bench -- <filter>`: run only when the filter names this benchmark.
    let filters: Vec<&String> = args.iter().filter(|arg| !arg.starts_with('-')).collect();
    if !filters.is_empty()
        && !filters
            .iter()
            .any(|filter| "local_engine".contains(filter.as_str()))
    {
        return ExitCode::SUCCESS;
    }
    let outcome = Settings::from_env(benchmarking(&args)).and_then(|settings| run(&settings));
    match outcome {
        Ok(problems) if problems.is_empty() => ExitCode::SUCCESS,
        Ok(problems) => {
            eprintln!();
            eprintln!(
                "local_engine: {} wrong answers among the timed requests:",
                problems.len()
            );
            for problem in problems.iter().take(20) {
                eprintln!("  {problem}");
            }
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("local_engine: {err}");
            ExitCode::FAILURE
        }
    }
}
