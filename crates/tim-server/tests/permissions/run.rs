//! Running the permission matrix: each cell sends one actor's request on a fixture and checks
//! the answer; the printout; and the request types ClientFrame lists in frame.proto.

use crate::Row;
use crate::common::*;
use crate::fixture::{ACTORS, Actor, C2C_SECRET, Fixture, GROUP_SECRET, PAIR_SECRET};
use std::sync::Arc;
use tim_model::codes;
use tim_proto::v1::server_frame::Body as Response;
use tokio::task::JoinSet;

/// Fixtures in use at once (each holds up to ten connections, far below the server's cap per
/// address).
const PARALLEL: usize = 16;

/// What one cell found.
pub struct Cell {
    pub row: usize,
    pub actor: usize,
    /// [`outcome`] of the answer.
    pub code: i32,
    /// Why the cell fails besides its code.
    pub problems: Vec<String>,
}

/// Runs every cell: a fresh fixture for each cell of an isolated row, one fixture for all
/// cells of a shared row (run in [`ACTORS`] order, so a shared row's answers never depend on
/// timing).
pub async fn run(server: Arc<TestServer>, rows: Arc<Vec<Row>>) -> Vec<Cell> {
    let permits = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
    let mut tasks = JoinSet::new();
    for row in 0..rows.len() {
        let batches: Vec<Vec<usize>> = if rows[row].isolated {
            (0..ACTORS.len()).map(|actor| vec![actor]).collect()
        } else {
            vec![(0..ACTORS.len()).collect()]
        };
        for actors in batches {
            let (server, rows, permits) = (server.clone(), rows.clone(), permits.clone());
            tasks.spawn(async move {
                let _permit = permits.acquire().await.unwrap();
                let prefix = format!("r{row}a{}-", actors[0]);
                let mut fixture = if actors.iter().all(|&a| ACTORS[a] == Actor::Anonymous) {
                    Fixture::unbuilt(prefix)
                } else {
                    Fixture::build(&server, prefix).await
                };
                let mut cells = Vec::with_capacity(actors.len());
                for actor in actors {
                    cells.push(ask(&server, &mut fixture, &rows[row], row, actor).await);
                }
                fixture.close();
                cells
            });
        }
    }
    let mut cells = Vec::new();
    while let Some(done) = tasks.join_next().await {
        cells.extend(done.expect("a cell panicked"));
    }
    cells
}

/// Sends `row`'s request as actor number `actor` and checks the answer.
async fn ask(
    server: &TestServer,
    fixture: &mut Fixture,
    row: &Row,
    row_index: usize,
    actor_index: usize,
) -> Cell {
    let actor = ACTORS[actor_index];
    let request = (row.build)(fixture, actor);
    let mut problems = Vec::new();
    let name = variant_name(&request);
    if name != row.request {
        problems.push(format!("the row builds a {name} request"));
    }
    let response = fixture.client(server, actor).await.request(request).await;
    if !matches!(response, Response::Error(_)) {
        let answer = variant_name(&response);
        if answer != name && (name.as_str(), answer.as_str()) != ("ping", "pong") {
            problems.push(format!("answered with a {answer}"));
        }
        let text = format!("{response:?}");
        for marker in [GROUP_SECRET, C2C_SECRET, PAIR_SECRET] {
            if !actor.may_see(marker) && text.contains(marker) {
                problems.push(format!("the answer leaks {marker}: {text}"));
            }
        }
    }
    Cell {
        row: row_index,
        actor: actor_index,
        code: outcome(&response),
        problems,
    }
}

/// The code of an answer: an error's code; for answers with per-item results (member
/// changes, batch sends, extensions) the first non-zero item code; otherwise 0.
pub fn outcome(response: &Response) -> i32 {
    match response {
        Response::Error(error) => error.code,
        Response::AddGroupMembers(r) => first_failure(r.results.iter().map(|r| r.code)),
        Response::RemoveGroupMembers(r) => first_failure(r.results.iter().map(|r| r.code)),
        Response::BatchSend(r) => first_failure(r.results.iter().map(|r| r.code)),
        Response::SetExtensions(r) => first_failure(r.results.iter().map(|r| r.code as i32)),
        Response::DeleteExtensions(r) => first_failure(r.results.iter().map(|r| r.code as i32)),
        _ => 0,
    }
}

fn first_failure(mut codes: impl Iterator<Item = i32>) -> i32 {
    codes.find(|code| *code != 0).unwrap_or(0)
}

/// The snake_case name of a oneof variant from its Debug form (`SetC2cRecvOpt(..)` gives
/// `set_c2c_recv_opt`), which is its proto field name.
fn variant_name(value: &impl std::fmt::Debug) -> String {
    let debug = format!("{value:?}");
    let camel = debug.split(['(', ' ', '{']).next().unwrap_or_default();
    let mut name = String::new();
    for (index, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if index > 0 {
                name.push('_');
            }
            name.push(ch.to_ascii_lowercase());
        } else {
            name.push(ch);
        }
    }
    name
}

/// The field names of the ClientFrame `body` oneof, from the proto file as it is now.
pub fn client_frame_requests() -> Vec<String> {
    const FRAME_PROTO: &str = include_str!("../../../../proto/tim/v1/frame.proto");
    const ONEOF: &str = "oneof body {";
    let message = FRAME_PROTO
        .find("message ClientFrame {")
        .expect("frame.proto defines ClientFrame");
    let rest = &FRAME_PROTO[message..];
    let oneof = rest.find(ONEOF).expect("ClientFrame has a body oneof") + ONEOF.len();
    let end = rest[oneof..].find('}').expect("the oneof ends") + oneof;
    rest[oneof..end]
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            assert!(
                words.len() == 4 && words[2] == "=",
                "unexpected line in the ClientFrame oneof: {line:?}"
            );
            words[1].to_owned()
        })
        .collect()
}

pub fn code_name(code: i32) -> &'static str {
    if code == 0 {
        return "success";
    }
    codes::lookup(code).map_or("unknown code", |c| c.name)
}

/// The matrix as the server answered, a `*` after each cell that differs from the table, and
/// the names of the codes that appear.
pub fn render(rows: &[Row], got: &[[i32; 9]]) -> String {
    let label = |row: &Row| format!("{} ({})", row.request, row.aim);
    let width = rows.iter().map(|r| label(r).len()).max().unwrap_or(0);
    let mut out = format!("{:width$}", "request (aimed at)");
    for actor in ACTORS {
        out.push_str(&format!(" | {:>8}", actor.name()));
    }
    out.push('\n');
    let mut seen = std::collections::BTreeSet::new();
    for (row, codes) in rows.iter().zip(got) {
        out.push_str(&format!("{:width$}", label(row)));
        for (code, expected) in codes.iter().zip(row.expected) {
            let mark = if *code == expected { ' ' } else { '*' };
            out.push_str(&format!(" | {code:>7}{mark}"));
            seen.insert(*code);
        }
        out.push('\n');
    }
    for code in seen {
        out.push_str(&format!("{code:>6} {}\n", code_name(code)));
    }
    out
}
