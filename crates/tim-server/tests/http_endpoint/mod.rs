//! A tiny HTTP/1.1 endpoint on 127.0.0.1 for tests: it records every request (method, path,
//! JSON body) and answers with what the test's function says (or never, to test timeouts).
//! One request per connection (`Connection: close`); headers and bodies are bounded.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, missing_docs)]

use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 4 * 1024 * 1024;

/// A recorded request.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: serde_json::Value,
}

/// What to answer: `Some((status, body))`, or `None` to never answer.
pub type Answer = dyn Fn(&Recorded) -> Option<(u16, String)> + Send + Sync;

pub struct Endpoint {
    /// `http://127.0.0.1:port`.
    pub url: String,
    requests: mpsc::UnboundedReceiver<Recorded>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Endpoint {
    pub async fn start(
        answer: impl Fn(&Recorded) -> Option<(u16, String)> + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, requests) = mpsc::unbounded_channel();
        let answer: Arc<Answer> = Arc::new(answer);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(stream, tx.clone(), answer.clone()));
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    /// The next request, waiting at most `wait`.
    pub async fn next(&mut self, wait: Duration) -> Recorded {
        tokio::time::timeout(wait, self.requests.recv())
            .await
            .expect("no request reached the endpoint in time")
            .expect("the endpoint stopped")
    }

    /// A request already recorded, if any (does not wait).
    pub fn try_next(&mut self) -> Option<Recorded> {
        self.requests.try_recv().ok()
    }
}

async fn serve(mut stream: TcpStream, tx: mpsc::UnboundedSender<Recorded>, answer: Arc<Answer>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > MAX_HEAD {
            return;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_owned();
    let path = first.next().unwrap_or("").to_owned();
    let length = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let recorded = Recorded {
        method,
        path,
        body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    };
    let reply = answer(&recorded);
    let _ = tx.send(recorded);
    match reply {
        Some((status, body)) => {
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        None => {
            // Never answer; hold the connection until the client gives up (bounded).
            let _ = tokio::time::timeout(Duration::from_secs(60), stream.read(&mut chunk)).await;
        }
    }
}

/// A Gorush-API push gateway that accepts every push.
pub fn gorush_ok(_: &Recorded) -> Option<(u16, String)> {
    Some((200, r#"{"counts":1,"logs":[],"success":"ok"}"#.into()))
}

/// The one notification of the next push request.
pub async fn next_push(gateway: &mut Endpoint) -> serde_json::Value {
    let recorded = gateway.next(Duration::from_secs(10)).await;
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.path, "/api/push");
    let notifications = recorded.body["notifications"].as_array().unwrap().clone();
    assert_eq!(notifications.len(), 1, "{:?}", recorded.body);
    notifications[0].clone()
}

/// The message ID a push carries.
pub fn msg_id(push: &serde_json::Value) -> &str {
    push["data"]["msg_id"].as_str().unwrap()
}
