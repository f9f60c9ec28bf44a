//! The permission matrix: every request a client can send (every field of the ClientFrame
//! oneof, read from proto/tim/v1/frame.proto) by every kind of actor, against a real server,
//! with the TIM code each must get (0: success). [`rows`] is the whole specification: one row
//! per request and the resource it is aimed at, one expected code per actor (the columns,
//! [`ACTORS`]; the world they act in is [`fixture::Fixture`]).
//!
//! A row made with [`isolated`] runs each cell on a fresh fixture, so that one actor's success
//! (a dismissal, a removal, a revoke) never decides another actor's code; a row made with
//! [`shared`] (no actor's request can change another's answer) runs its cells on one.
//! Besides the code, every successful answer is checked for leaks: it must not carry the text
//! of a message the actor may not see ([`Actor::may_see`]).
//!
//! Adding a request type to ClientFrame fails [`the_matrix_covers_every_request_type`] until
//! it has a row here (or a reason in [`NO_ROWS`]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
#[path = "permissions/fixture.rs"]
mod fixture;
mod http_endpoint;
#[path = "permissions/requests.rs"]
mod requests;
#[path = "permissions/run.rs"]
mod run;

use common::{APP, KEY, TestServer};
use fixture::{ACTORS, APP_B, Actor, Fixture, KEY_B};
use requests::*;
use std::sync::Arc;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;

/// ClientFrame fields without rows, each with the reason: none now. (Media uploads and
/// downloads have no rows either: they are transfer streams, not ClientFrames; tests/media.rs
/// checks them.)
const NO_ROWS: &[(&str, &str)] = &[];

const OK: i32 = 0;
const LOG_IN: i32 = codes::ERR_SDK_NOT_LOGGED_IN;
const DENIED: i32 = codes::ERR_SVR_GROUP_PERMISSION_DENY;
const NO_GROUP: i32 = codes::ERR_SVR_GROUP_NOT_FOUND;
const NOT_FOUND: i32 = codes::ERR_SDK_COMM_DATABASE_NOTFOUND;
const TAKEN: i32 = codes::ERR_SVR_GROUP_GROUPID_IN_USED;
/// A second login on a connection.
const AGAIN: i32 = codes::ERR_SDK_INVALID_OPERATION;

/// The codes of a row from the group's point of view: `members` for the owner, the admin and
/// the member, `outsiders` for the former member, the stranger, the peer and x, `other_app`
/// for app B's user; a connection without login always gets 6014.
const fn by_group(members: i32, outsiders: i32, other_app: i32) -> [i32; 9] {
    let (m, o) = (members, outsiders);
    [m, m, m, o, o, o, o, other_app, LOG_IN]
}

/// `codes` with `actor`'s cell replaced by `code`.
const fn with(mut codes: [i32; 9], actor: Actor, code: i32) -> [i32; 9] {
    codes[actor as usize] = code;
    codes
}

/// Any logged-in user may: the request concerns only the user's own things.
const ANYONE: [i32; 9] = by_group(OK, OK, OK);
/// Current members of `g`; app B's user finds no such group.
const MEMBERS: [i32; 9] = by_group(OK, DENIED, NO_GROUP);
/// The owner and admins of `g`.
const ADMINS: [i32; 9] = with(MEMBERS, Actor::Member, DENIED);
/// The owner of `g`.
const OWNER: [i32; 9] = with(by_group(DENIED, DENIED, NO_GROUP), Actor::Owner, OK);
/// The two parties of the owner's C2C conversation; anyone else names their own conversation
/// with the owner, where the message is not.
const PARTIES: [i32; 9] = with(
    with(by_group(NOT_FOUND, NOT_FOUND, NOT_FOUND), Actor::Owner, OK),
    Actor::Peer,
    OK,
);

/// One row: a request aimed at one resource of the fixture, and the code each actor gets.
pub struct Row {
    /// The ClientFrame oneof field the request fills.
    pub request: &'static str,
    /// What it is aimed at.
    pub aim: &'static str,
    pub build: fn(&Fixture, Actor) -> Request,
    /// In [`ACTORS`] order.
    pub expected: [i32; 9],
    /// Whether each cell needs its own fixture ([`isolated`]).
    pub isolated: bool,
}

/// A row whose request changes what another actor's request would find (a membership, a
/// message, an extension's version): each cell gets a fresh fixture.
fn isolated(
    request: &'static str,
    aim: &'static str,
    build: fn(&Fixture, Actor) -> Request,
    expected: [i32; 9],
) -> Row {
    Row {
        request,
        aim,
        build,
        expected,
        isolated: true,
    }
}

/// A row where no actor's request can change another's answer (it reads, or changes only the
/// actor's own view, marks, options or sends): its cells run one after the other, in
/// [`ACTORS`] order, on one fixture.
fn shared(
    request: &'static str,
    aim: &'static str,
    build: fn(&Fixture, Actor) -> Request,
    expected: [i32; 9],
) -> Row {
    Row {
        isolated: false,
        ..isolated(request, aim, build, expected)
    }
}

/// The matrix. `f` is the cell's fixture, `a` the actor; C2C requests name
/// [`Fixture::counterpart`].
fn rows() -> Vec<Row> {
    const G_MSG: &str = "member's message in g";
    const C2C_MSG: &str = "owner's C2C message";
    const C2C: &str = "C2C with the owner";
    vec![
        // Session: a connection logs in once, as a user of the app whose key signed the
        // UserSig; everything else concerns the actor's own device.
        shared(
            "login",
            "the stranger, a valid UserSig",
            |f, _| login(APP, f.user("stranger"), (APP, KEY)),
            with(by_group(AGAIN, AGAIN, AGAIN), Actor::Anonymous, OK),
        ),
        shared(
            "login",
            "the member, app B's UserSig",
            |f, _| login(APP, f.user("member"), (APP_B, KEY_B)),
            with(
                by_group(AGAIN, AGAIN, AGAIN),
                Actor::Anonymous,
                codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID,
            ),
        ),
        shared(
            "ping",
            "-",
            |_, _| Request::Ping(v1::PingRequest {}),
            ANYONE,
        ),
        shared(
            "logout",
            "-",
            |_, _| Request::Logout(v1::LogoutRequest {}),
            ANYONE,
        ),
        shared(
            "set_offline_push_token",
            "remove the device's",
            |_, _| Request::SetOfflinePushToken(v1::SetOfflinePushTokenRequest { token: None }),
            ANYONE,
        ),
        shared("set_app_state", "-", |_, _| set_app_state(), ANYONE),
        // Messages.
        shared("send_message", "g", |f, _| send(f.group_conv()), MEMBERS),
        shared("send_message", C2C, |f, a| send(f.c2c_conv(a)), ANYONE),
        shared(
            "batch_send",
            C2C,
            |f, a| batch_send(f.counterpart(a)),
            ANYONE,
        ),
        shared(
            "cancel_send",
            "g, a new ID",
            |f, _| cancel(f.group_conv(), "c-1"),
            MEMBERS,
        ),
        // IDs belong to their sender: the owner's sent ID cannot be cancelled, anyone else's
        // cancel of the same ID concerns only their own unused one.
        shared(
            "cancel_send",
            "C2C, the owner's message's ID",
            |f, a| cancel(f.c2c_conv(a), &f.c2c_msg),
            with(ANYONE, Actor::Owner, codes::ERR_SDK_INVALID_CANCEL_MESSAGE),
        ),
        shared("sync", "own event log", |_, _| sync(), ANYONE),
        shared("pull_history", "g", |f, _| pull(f.group_conv()), MEMBERS),
        // Anyone but the parties pulls their own (empty) conversation with the owner.
        shared("pull_history", C2C, |f, a| pull(f.c2c_conv(a)), ANYONE),
        // The sender, the owner and admins revoke group messages.
        isolated(
            "revoke_message",
            G_MSG,
            |f, _| revoke(f.group_conv(), &f.group_msg),
            MEMBERS,
        ),
        isolated(
            "revoke_message",
            C2C_MSG,
            |f, a| revoke(f.c2c_conv(a), &f.c2c_msg),
            with(PARTIES, Actor::Peer, codes::ERR_SVR_GROUP_REVOKE_MSG_DENY),
        ),
        // Only the sender modifies.
        isolated(
            "modify_message",
            G_MSG,
            |f, _| modify(f.group_conv(), &f.group_msg),
            with(by_group(DENIED, DENIED, NO_GROUP), Actor::Member, OK),
        ),
        isolated(
            "modify_message",
            C2C_MSG,
            |f, a| modify(f.c2c_conv(a), &f.c2c_msg),
            with(PARTIES, Actor::Peer, codes::ERR_SDK_INVALID_OPERATION),
        ),
        // Deletes and clears change only the actor's own view.
        shared(
            "delete_messages",
            G_MSG,
            |f, _| delete(f.group_conv(), &f.group_msg),
            MEMBERS,
        ),
        shared(
            "delete_messages",
            C2C_MSG,
            |f, a| delete(f.c2c_conv(a), &f.c2c_msg),
            PARTIES,
        ),
        shared("clear_history", "g", |f, _| clear(f.group_conv()), MEMBERS),
        shared("clear_history", C2C, |f, a| clear(f.c2c_conv(a)), ANYONE),
        // A bundle is readable by whoever can see a message carrying it now: not by a former
        // member, and unknown to everyone else.
        shared(
            "download_merged",
            "bundle of the member's merged message in g",
            |f, _| download(&f.bundle_key),
            by_group(OK, NOT_FOUND, NOT_FOUND),
        ),
        shared("translate_text", "-", |_, _| translate(), ANYONE),
        // Read state and receipts.
        shared(
            "report_read",
            "g",
            |f, _| report_read(f.group_conv()),
            MEMBERS,
        ),
        shared(
            "report_read",
            C2C,
            |f, a| report_read(f.c2c_conv(a)),
            ANYONE,
        ),
        shared(
            "report_read",
            "every conversation",
            |_, _| report_all_read(),
            ANYONE,
        ),
        shared(
            "send_read_receipts",
            G_MSG,
            |f, _| send_receipt(f.group_conv(), &f.group_msg),
            MEMBERS,
        ),
        shared(
            "send_read_receipts",
            C2C_MSG,
            |f, a| send_receipt(f.c2c_conv(a), &f.c2c_msg),
            PARTIES,
        ),
        shared(
            "get_read_receipts",
            G_MSG,
            |f, _| get_receipt(f.group_conv(), &f.group_msg),
            MEMBERS,
        ),
        // A message not in the named conversation is left out of the answer, which then says
        // nothing: the others get an empty list.
        shared(
            "get_read_receipts",
            C2C_MSG,
            |f, a| get_receipt(f.c2c_conv(a), &f.c2c_msg),
            ANYONE,
        ),
        shared(
            "get_group_read_members",
            G_MSG,
            |f, _| read_members(&f.group, &f.group_msg),
            MEMBERS,
        ),
        // Extensions: any party who sees the message.
        isolated(
            "set_extensions",
            G_MSG,
            |f, _| set_extension(f.group_conv(), &f.group_msg),
            MEMBERS,
        ),
        isolated(
            "set_extensions",
            C2C_MSG,
            |f, a| set_extension(f.c2c_conv(a), &f.c2c_msg),
            PARTIES,
        ),
        shared(
            "get_extensions",
            G_MSG,
            |f, _| get_extensions(f.group_conv(), &f.group_msg),
            MEMBERS,
        ),
        shared(
            "get_extensions",
            C2C_MSG,
            |f, a| get_extensions(f.c2c_conv(a), &f.c2c_msg),
            PARTIES,
        ),
        shared(
            "delete_extensions",
            G_MSG,
            |f, _| delete_extensions(f.group_conv(), &f.group_msg),
            MEMBERS,
        ),
        shared(
            "delete_extensions",
            C2C_MSG,
            |f, a| delete_extensions(f.c2c_conv(a), &f.c2c_msg),
            PARTIES,
        ),
        // Conversation attributes and profiles concern only the caller's own records; a
        // profile is readable by anyone of the same app (app B reads its own namespace).
        shared(
            "update_conversations",
            "g",
            |f, _| pin_conversation(f.group_conv()),
            ANYONE,
        ),
        shared(
            "update_conversations",
            C2C,
            |f, a| pin_conversation(f.c2c_conv(a)),
            ANYONE,
        ),
        shared(
            "get_conversation_state",
            "own",
            |_, _| get_conversation_state(),
            ANYONE,
        ),
        shared(
            "get_profiles",
            C2C,
            |f, a| get_profiles(f.counterpart(a)),
            ANYONE,
        ),
        shared("set_profile", "own", |_, _| set_profile(), ANYONE),
        // Receive options.
        shared(
            "set_c2c_recv_opt",
            C2C,
            |f, a| set_c2c_recv_opt(f.counterpart(a)),
            ANYONE,
        ),
        shared(
            "get_c2c_recv_opt",
            C2C,
            |f, a| get_c2c_recv_opt(f.counterpart(a)),
            ANYONE,
        ),
        shared(
            "set_group_recv_opt",
            "g",
            |f, _| set_group_recv_opt(&f.group),
            MEMBERS,
        ),
        // Groups (docs/security.md, the group permission table; g is Public).
        isolated(
            "create_group",
            "a new ID",
            |f, _| create_group(f.user("new")),
            ANYONE,
        ),
        // Group IDs are per app: app B's user may take the ID g has in app A.
        isolated(
            "create_group",
            "g's ID",
            |f, _| create_group(f.group.clone()),
            by_group(TAKEN, TAKEN, OK),
        ),
        isolated(
            "add_group_members",
            "g, a new user",
            |f, _| add_member(&f.group, f.user("newcomer")),
            ADMINS,
        ),
        isolated(
            "remove_group_members",
            "g, the member",
            |f, _| remove_member(&f.group, f.user("member")),
            ADMINS,
        ),
        isolated(
            "remove_group_members",
            "g, the admin",
            |f, _| remove_member(&f.group, f.user("admin")),
            OWNER,
        ),
        isolated(
            "remove_group_members",
            "g, the owner",
            |f, _| remove_member(&f.group, f.user("owner")),
            by_group(DENIED, DENIED, NO_GROUP),
        ),
        isolated(
            "join_group",
            "g (anyone may join)",
            |f, _| join(&f.group),
            by_group(codes::ERR_SVR_GROUP_ALLREADY_MEMBER, OK, NO_GROUP),
        ),
        isolated(
            "quit_group",
            "g",
            |f, _| quit(&f.group),
            with(
                MEMBERS,
                Actor::Owner,
                codes::ERR_SVR_GROUP_SUPER_NOT_ALLOW_QUIT,
            ),
        ),
        isolated("dismiss_group", "g", |f, _| dismiss(&f.group), OWNER),
        shared(
            "list_group_members",
            "g",
            |f, _| list_members(&f.group),
            MEMBERS,
        ),
    ]
}

#[test]
fn the_matrix_covers_every_request_type() {
    for (column, actor) in ACTORS.iter().enumerate() {
        assert_eq!(*actor as usize, column, "Actor is declared in column order");
    }
    let requests = run::client_frame_requests();
    assert!(requests.len() > 30, "parsed too few fields: {requests:?}");
    let rows = rows();
    let missing: Vec<&String> = requests
        .iter()
        .filter(|name| {
            !rows.iter().any(|row| row.request == name.as_str())
                && !NO_ROWS.iter().any(|(skipped, _)| skipped == name)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "ClientFrame requests without a row in tests/permissions.rs (add rows, or a reason to \
         NO_ROWS): {missing:?}"
    );
    let unknown: Vec<&str> = rows
        .iter()
        .map(|row| row.request)
        .chain(NO_ROWS.iter().map(|(name, _)| *name))
        .filter(|name| !requests.iter().any(|r| r == name))
        .collect();
    assert!(
        unknown.is_empty(),
        "rows for no ClientFrame field: {unknown:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_by_every_actor_gets_its_code() {
    let started = std::time::Instant::now();
    // A translation backend that echoes (LibreTranslate's API: `q` a string or an array).
    let translator = http_endpoint::Endpoint::start(|request| {
        let echo = request.body["q"].clone();
        Some((
            200,
            serde_json::json!({ "translatedText": echo }).to_string(),
        ))
    })
    .await;
    let url = translator.url.clone();
    let server = TestServer::start_with(move |config| {
        config.apps.push(tim_server::AppConfig {
            sdk_app_id: APP_B,
            secret_key: KEY_B.into(),
        });
        config.translate = Some(tim_server::TranslateBackend::new(url));
    })
    .await;
    let rows = Arc::new(rows());
    let cells = run::run(Arc::new(server), rows.clone()).await;

    let mut got = vec![[OK; 9]; rows.len()];
    let mut failures = Vec::new();
    for cell in cells {
        got[cell.row][cell.actor] = cell.code;
        let row = &rows[cell.row];
        let at = format!(
            "{} ({}) by {}",
            row.request,
            row.aim,
            ACTORS[cell.actor].name()
        );
        let expected = row.expected[cell.actor];
        if cell.code != expected {
            failures.push(format!(
                "{at}: got {} ({}), expected {expected} ({})",
                cell.code,
                run::code_name(cell.code),
                run::code_name(expected)
            ));
        }
        failures.extend(cell.problems.into_iter().map(|p| format!("{at}: {p}")));
    }
    println!("{}", run::render(&rows, &got));
    let types: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.request).collect();
    println!(
        "{} request types, {} rows, {} cells in {:.1} s",
        types.len(),
        rows.len(),
        rows.len() * ACTORS.len(),
        started.elapsed().as_secs_f64()
    );
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} cells differ from the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
