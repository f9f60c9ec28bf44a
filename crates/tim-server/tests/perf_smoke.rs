//! Rough throughput checks, ignored by default (run with `--release -- --ignored`); the real
//! benchmarks live in the benchmark crate.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::time::Instant;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "performance smoke test"]
async fn c2c_throughput_with_100_clients() {
    let server = TestServer::start().await;
    let mut clients = Vec::new();
    for i in 0..100 {
        clients.push(std::sync::Arc::new(
            server.client(&format!("u{i}"), "d").await,
        ));
    }
    let per_client = 400;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, client) in clients.iter().enumerate() {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let peer = format!("u{}", (i + 1) % 100);
            let mut window = std::collections::VecDeque::new();
            for n in 0..per_client {
                window.push_back(
                    client
                        .start_request(send_request(
                            C2C,
                            &peer,
                            &format!("{i}-{n}"),
                            "hello",
                            false,
                        ))
                        .await,
                );
                if window.len() >= 32 {
                    let response = window.pop_front().unwrap().await.unwrap();
                    assert!(matches!(response, Response::SendMessage(_)));
                }
            }
            for answer in window {
                assert!(matches!(answer.await.unwrap(), Response::SendMessage(_)));
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    let total = 100 * per_client;
    println!(
        "{total} messages in {elapsed:?}: {:.0} msgs/s",
        total as f64 / elapsed.as_secs_f64()
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "performance smoke test"]
async fn fan_out_to_a_10000_member_group() {
    let server = TestServer::start().await;
    let owner = server.client("owner", "d").await;
    let Response::CreateGroup(created) = owner
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some("big".into()),
            add_option: 2,
            ..Default::default()
        }))
        .await
    else {
        panic!()
    };
    for chunk in 0..20 {
        let users = (0..500).map(|i| format!("m{}", chunk * 500 + i)).collect();
        let response = owner
            .request(Request::AddGroupMembers(v1::AddGroupMembersRequest {
                group_id: created.group_id.clone(),
                user_ids: users,
            }))
            .await;
        assert!(matches!(response, Response::AddGroupMembers(_)));
    }
    let started = Instant::now();
    let ack = owner.send_ok(GROUP, "big", "hello-all", "hi").await;
    println!(
        "10,000-member group message stored and acked in {:?} (seq {})",
        started.elapsed(),
        ack.seq
    );
    server.stop().await;
}
