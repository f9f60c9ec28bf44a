//! Login refusals, trust settings, cancelling sends, and cloud history through a gap.

mod net_support;

use net_support::*;
use tim_core::{Client, CoreError, NetworkStatus, ServerTrust};
use tim_model::enums::MsgStatus;
use tim_model::{GetMsgListParam, Message, Seq, codes};
use tim_store::{ReceivedBatch, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_with_bad_user_sigs_are_refused_with_the_servers_code() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let client = Client::new(server.config(dir.path())).unwrap();
    let now = tim_server::usersig::now_secs();
    let cases = [
        (
            tim_server::usersig::gen_user_sig(APP, "another key", "alice", 3600),
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_PUBLICKEY,
        ),
        (sig("mallory"), codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID),
        (
            tim_server::usersig::gen_user_sig(APP + 1, KEY, "alice", 3600),
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID,
        ),
        (
            tim_server::usersig::gen_user_sig_at(APP, KEY, "alice", 60, now - 3600, None),
            codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED,
        ),
        (
            "not a sig".to_owned(),
            codes::ERR_SVR_ACCOUNT_USERSIG_CHECK_FAILED,
        ),
    ];
    for (user_sig, code) in cases {
        let err = client.login("alice", &user_sig).await.unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(matches!(err, CoreError::Server { .. }), "{err:?}");
        assert!(client.user().is_none());
        assert_eq!(
            client.engine().unwrap_err().code(),
            codes::ERR_SDK_NOT_LOGGED_IN
        );
        let (conv, message) = (c2c("bob"), text("x"));
        assert_eq!(
            client.send_message(&conv, message).unwrap_err().code(),
            codes::ERR_SDK_NOT_LOGGED_IN
        );
    }
    // The same client logs in once the UserSig is right.
    client.login("alice", &sig("alice")).await.unwrap();
    assert_eq!(client.user().unwrap().as_str(), "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trust_is_by_fingerprint_or_pem_and_a_wrong_pin_is_refused() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut pem = server.config(dir.path());
    pem.server_certificate = ServerTrust::parse(server.cert_path().to_str().unwrap()).unwrap();
    let client = Client::new(pem).unwrap();
    client.login("alice", &sig("alice")).await.unwrap();
    client.close().await;

    let mut wrong = server.config(dir.path());
    wrong.server_certificate = ServerTrust::Fingerprint([7; 32]);
    let client = Client::new(wrong).unwrap();
    let err = client.login("alice", &sig("alice")).await.unwrap_err();
    assert!(err.is_network(), "{err:?}");
    assert_eq!(client.network_status(), NetworkStatus::Disconnected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_sends_can_be_cancelled_and_sent_ones_cannot() {
    let mut server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;

    let sent = alice.send(&c2c("bob"), "sent").await;
    let sent_id = sent.msg_id.clone().unwrap();
    let err = alice
        .client
        .cancel_send(&c2c("bob"), &sent_id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::ERR_SDK_INVALID_CANCEL_MESSAGE);
    assert_eq!(contents(&bob.receive(1).await), ["sent"]);

    server.stop().await;
    alice.wait_status(NetworkStatus::Disconnected).await;
    let (queued, handle) = alice
        .client
        .send_message(&c2c("bob"), text("never"))
        .unwrap();
    let queued_id = queued.msg_id.clone().unwrap();
    alice
        .client
        .cancel_send(&c2c("bob"), &queued_id)
        .await
        .unwrap();
    let outcome = tokio::time::timeout(WAIT, handle)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(outcome.code, codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL);
    assert_eq!(
        alice.stored(&queued_id).unwrap().status,
        Some(MsgStatus::Cancel)
    );
    // Cancelling twice: it is no longer queued.
    assert_eq!(
        alice
            .client
            .cancel_send(&c2c("bob"), &queued_id)
            .await
            .unwrap_err()
            .code(),
        codes::ERR_SDK_INVALID_CANCEL_MESSAGE
    );

    server.restart().await;
    alice.wait_status(NetworkStatus::Connected).await;
    alice.send(&c2c("bob"), "sentinel").await;
    assert_eq!(contents(&bob.receive(1).await), ["sentinel"]);
    assert_eq!(contents(&bob.local(&c2c("alice"))), ["sent", "sentinel"]);
}

/// What `alice` sent to bob, as bob's device stores it.
fn as_received(message: &Message) -> Message {
    Message {
        conv_id: "alice".into(),
        is_from_self: false,
        status: Some(MsgStatus::SendSucc),
        ..message.clone()
    }
}

/// Makes `dir` the data dir of a bob device that holds only `held` of the conversation with
/// alice and has applied every event up to `cursor` (as a device restored from a backup
/// would), without the network.
#[allow(clippy::unwrap_used)] // test set-up: a failure here is a failed test
fn restored_device(dir: &std::path::Path, sent: &[Message], held: &[u64], cursor: u64) {
    let hex: String = "bob".bytes().map(|b| format!("{b:02x}")).collect();
    let folder = dir.join("users").join(hex);
    std::fs::create_dir_all(&folder).unwrap();
    let store = Store::open(&folder.join("messages.redb")).unwrap();
    let messages: Vec<_> = sent
        .iter()
        .filter(|m| held.contains(&m.seq.0))
        .map(|m| (c2c("alice"), as_received(m)))
        .collect();
    store
        .store_received(ReceivedBatch {
            messages: &messages,
            held: &[],
            cursor: Some(cursor),
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ramble_pages_pull_gaps_and_older_history_from_the_server() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut sent = Vec::new();
    for i in 1..=10 {
        sent.push(alice.send(&c2c("bob"), &format!("m{i}")).await);
    }
    assert_contiguous(&seqs(&sent));

    // A device holding 1..=3 and 8..=10: a gap of 4..=7.
    let dir = tempfile::tempdir().unwrap();
    restored_device(dir.path(), &sent, &[1, 2, 3, 8, 9, 10], 10);
    let bob = device_at(&server, "bob", dir.path()).await;
    let local = GetMsgListParam {
        count: 20,
        ..Default::default()
    };
    let page = bob
        .client
        .get_message_list(&c2c("alice"), &local)
        .await
        .unwrap();
    assert_eq!(
        seqs(&page),
        [10, 9, 8, 3, 2, 1],
        "local only without is_ramble"
    );
    let ramble = GetMsgListParam {
        is_ramble: true,
        ..local.clone()
    };
    let page = bob
        .client
        .get_message_list(&c2c("alice"), &ramble)
        .await
        .unwrap();
    assert_eq!(seqs(&page), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(page[6].msg_id, sent[3].msg_id);
    assert_eq!(content(&page[6]), "m4");
    let engine = bob.client.engine().unwrap();
    // Now held: the next call needs no server (and says the same).
    let again = engine.get_message_list(&c2c("alice"), &local).unwrap();
    assert_eq!(seqs(&again), seqs(&page));
    bob.client.close().await;

    // A device holding only 6..=10: older pages reach back to the start of history.
    let dir = tempfile::tempdir().unwrap();
    restored_device(dir.path(), &sent, &[6, 7, 8, 9, 10], 10);
    let bob = device_at(&server, "bob", dir.path()).await;
    let newest = GetMsgListParam {
        count: 3,
        is_ramble: true,
        ..Default::default()
    };
    let page = bob
        .client
        .get_message_list(&c2c("alice"), &newest)
        .await
        .unwrap();
    assert_eq!(seqs(&page), [10, 9, 8], "a full local page needs no pull");
    let older = GetMsgListParam {
        count: 4,
        is_ramble: true,
        last_msg: page.last().cloned(),
        ..Default::default()
    };
    let page = bob
        .client
        .get_message_list(&c2c("alice"), &older)
        .await
        .unwrap();
    assert_eq!(seqs(&page), [7, 6, 5, 4]);
    let oldest = GetMsgListParam {
        last_msg: page.last().cloned(),
        ..older
    };
    let page = bob
        .client
        .get_message_list(&c2c("alice"), &oldest)
        .await
        .unwrap();
    assert_eq!(seqs(&page), [3, 2, 1]);
    assert_eq!(contents(&page), ["m3", "m2", "m1"]);
    let held = bob.client.engine().unwrap();
    let all = held
        .get_message_list(
            &c2c("alice"),
            &GetMsgListParam {
                count: 100,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(all.len(), 10);
    assert!(all.iter().all(|m| m.seq > Seq(0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_login_with_the_same_device_id_kicks_the_first() {
    let server = TestServer::start().await;
    let (first_dir, second_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first_config = server.config(first_dir.path());
    first_config.device_id = Some("the-phone".into());
    let first = Client::new(first_config).unwrap();
    let mut events = first.subscribe();
    first.login("alice", &sig("alice")).await.unwrap();

    let mut second_config = server.config(second_dir.path());
    second_config.device_id = Some("the-phone".into());
    let second = Client::new(second_config).unwrap();
    second.login("alice", &sig("alice")).await.unwrap();

    wait_for(&mut events, |event| {
        matches!(event, tim_core::Event::KickedOffline).then_some(())
    })
    .await;
    // The kicked client stops: it ends Disconnected and does not come back.
    wait_for(&mut events, |event| match event {
        tim_core::Event::NetworkStatus { status, .. } => {
            (*status == NetworkStatus::Disconnected).then_some(())
        }
        _ => None,
    })
    .await;
    assert_eq!(first.network_status(), NetworkStatus::Disconnected);
    assert_eq!(second.network_status(), NetworkStatus::Connected);
    let bob = device(&server, "bob").await;
    bob.send(&c2c("alice"), "to the new session").await;
    let refused = first
        .send_message(&c2c("bob"), text("from the old one"))
        .unwrap_err();
    assert_eq!(refused.code(), codes::ERR_SDK_NOT_LOGGED_IN);
    // Logging in again works (the local engine is reused).
    first.login("alice", &sig("alice")).await.unwrap();
    assert_eq!(first.network_status(), NetworkStatus::Connected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_racing_the_send_is_decided_by_the_server_either_way_consistently() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let mut delivered = Vec::new();
    for round in 0..5 {
        let content = format!("race {round}");
        let (queued, handle) = alice
            .client
            .send_message(&c2c("bob"), text(&content))
            .unwrap();
        let id = queued.msg_id.clone().unwrap();
        let cancel = alice.client.cancel_send(&c2c("bob"), &id).await;
        let outcome = tokio::time::timeout(WAIT, handle).await.unwrap();
        let stored = alice.stored(&id).unwrap();
        match cancel {
            Ok(()) => {
                assert_eq!(
                    outcome.unwrap_err().code,
                    codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL
                );
                assert_eq!(stored.status, Some(MsgStatus::Cancel));
            }
            Err(err) => {
                assert_eq!(err.code(), codes::ERR_SDK_INVALID_CANCEL_MESSAGE);
                assert_eq!(outcome.unwrap().msg_id.as_ref(), Some(&id));
                assert_eq!(stored.status, Some(MsgStatus::SendSucc));
                delivered.push(content);
            }
        }
    }
    alice.send(&c2c("bob"), "sentinel").await;
    delivered.push("sentinel".to_owned());
    let got = bob.receive(delivered.len()).await;
    assert_eq!(contents(&got), delivered);
}
