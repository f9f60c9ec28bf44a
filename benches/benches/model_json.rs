//! tim-model's TIM JSON codec against serde_json's plain parse and print of the same text.
//!
//! Every C call that takes a message goes through `tim_model::json::from_str` and every
//! callback through `tim_model::json::to_string`, so this is the fixed cost tim adds to each.
//! The baselines are the least any JSON-in, JSON-out library could do: parse the text into a
//! `serde_json::Value` (no model, no checks) and print that `Value` back. tim-model decodes
//! through a `Value` too, so its decode ratio is "parse + model building + checks" over
//! "parse", and its encode ratio is "model to `Value` + print" over "print".
//!
//! Run: `cargo bench -p tim-benches --bench model_json -- --warm-up-time 1 --measurement-time 3`.
//! criterion prints each function's time; the last lines are the ours/baseline ratios from an
//! interleaved timing loop run in the same process (see `tim_benches::ratio`).

use criterion::{Criterion, Throughput};
use serde_json::Value;
use std::hint::black_box;
use std::process::ExitCode;
use tim_benches::ratio::{self, Budget, Comparison};
use tim_benches::{PAGE_SIZE, message_page, realistic_message};
use tim_model::{Message, json};

/// One benchmarked document: its text, the model value it decodes to and the plain `Value`
/// of the same text.
struct Fixture<T> {
    /// What it is, for benchmark IDs and the ratio table.
    name: &'static str,
    /// Its TIM JSON text.
    text: String,
    /// The model value `text` decodes to.
    model: T,
    /// `text` parsed as a plain `serde_json::Value`.
    value: Value,
}

impl<T: json::JsonValue + PartialEq> Fixture<T> {
    /// Encodes `model` and checks that the text decodes back to it, so the benchmark never
    /// measures an error path.
    fn new(name: &'static str, model: T) -> Result<Self, String> {
        let text = json::to_string(&model);
        let decoded: T =
            json::from_str(&text).map_err(|err| format!("{name}: does not decode: {err}"))?;
        if decoded != model {
            return Err(format!("{name}: does not decode to what was encoded"));
        }
        let value = serde_json::from_str(&text)
            .map_err(|err| format!("{name}: serde_json does not parse it: {err}"))?;
        Ok(Self {
            name,
            text,
            model,
            value,
        })
    }

    fn decode(&self) -> Result<T, tim_model::ModelError> {
        json::from_str::<T>(black_box(&self.text))
    }

    fn decode_baseline(&self) -> serde_json::Result<Value> {
        serde_json::from_str::<Value>(black_box(&self.text))
    }

    fn encode(&self) -> String {
        json::to_string(black_box(&self.model))
    }

    fn encode_baseline(&self) -> String {
        black_box(&self.value).to_string()
    }

    /// The four criterion benchmarks of this document, in one group with byte throughput.
    fn bench(&self, c: &mut Criterion) {
        let mut group = c.benchmark_group(self.name);
        group.throughput(Throughput::Bytes(self.text.len() as u64));
        group.bench_function("decode/tim-model", |b| b.iter(|| self.decode()));
        group.bench_function("decode/baseline serde_json Value", |b| {
            b.iter(|| self.decode_baseline())
        });
        group.bench_function("encode/tim-model", |b| b.iter(|| self.encode()));
        group.bench_function("encode/baseline Value::to_string", |b| {
            b.iter(|| self.encode_baseline())
        });
        group.finish();
    }

    /// Decode and encode ratios from the interleaved loop.
    fn ratios(&self, budget: Budget) -> [Comparison; 2] {
        [
            ratio::compare(
                &format!("{} decode", self.name),
                budget,
                || self.decode(),
                || self.decode_baseline(),
            ),
            ratio::compare(
                &format!("{} encode", self.name),
                budget,
                || self.encode(),
                || self.encode_baseline(),
            ),
        ]
    }
}

/// Both documents of this benchmark.
struct Fixtures {
    message: Fixture<Message>,
    page: Fixture<Vec<Message>>,
}

impl Fixtures {
    fn new() -> Result<Self, String> {
        Ok(Self {
            message: Fixture::new("message", realistic_message(0))?,
            page: Fixture::new("page_of_50", message_page(PAGE_SIZE))?,
        })
    }
}

fn bench_all(c: &mut Criterion, fixtures: &Fixtures) {
    fixtures.message.bench(c);
    fixtures.page.bench(c);
}

/// Whether cargo ran this target to benchmark (`cargo bench`) rather than to smoke-test it
/// (`cargo test --benches`), using the rule criterion itself applies to the same flags.
fn benchmarking(args: &[String]) -> bool {
    let flag = |name: &str| args.iter().any(|arg| arg == name);
    flag("--bench") && !flag("--test") && !flag("--list")
}

fn main() -> ExitCode {
    let fixtures = match Fixtures::new() {
        Ok(fixtures) => fixtures,
        Err(err) => {
            eprintln!("model_json: bad fixture: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "model_json: message {} bytes, page of {PAGE_SIZE} {} bytes",
        fixtures.message.text.len(),
        fixtures.page.text.len()
    );

    // Not `criterion_group!`/`criterion_main!`: those take plain fns, and the fixtures are
    // built (and checked) once here, then shared by the benchmarks and the ratio loop.
    let mut criterion = Criterion::default().configure_from_args();
    bench_all(&mut criterion, &fixtures);
    criterion.final_summary();

    let args: Vec<String> = std::env::args().collect();
    if benchmarking(&args) {
        let budget = Budget::default();
        let mut table = Vec::new();
        table.extend(fixtures.message.ratios(budget));
        table.extend(fixtures.page.ratios(budget));
        ratio::print_table(
            "model_json: ours (tim-model) / baseline (serde_json Value), same run, medians of 9 interleaved rounds",
            &table,
        );
    }
    ExitCode::SUCCESS
}
