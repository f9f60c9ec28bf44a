//! An impaired link on loopback, for tests (this kernel has no netem): a UDP relay on
//! 127.0.0.1 between a client and a server that delays each datagram, drops some at random
//! and can cut the link altogether, in both directions.
//!
//! One client at a time: datagrams from the relay's address go to the last client that sent
//! one (a client that reconnects from a new port takes the link over).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

/// How the link behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkProfile {
    /// Added to every datagram, each way (the round trip grows by twice this).
    pub one_way_delay: Duration,
    /// Share of datagrams dropped, each way, 0.0..=1.0.
    pub loss: f64,
    /// Every datagram is dropped (an outage).
    pub cut: bool,
}

impl LinkProfile {
    /// A clean link.
    pub const CLEAN: Self = Self {
        one_way_delay: Duration::ZERO,
        loss: 0.0,
        cut: false,
    };

    /// A link with round trip `rtt` and `loss`.
    pub fn impaired(rtt: Duration, loss: f64) -> Self {
        Self {
            one_way_delay: rtt / 2,
            loss,
            cut: false,
        }
    }
}

struct State {
    profile: LinkProfile,
    client: Option<SocketAddr>,
    rng: u64,
    dropped: u64,
}

impl State {
    /// Whether the next datagram goes through, and after how long.
    fn decide(&mut self) -> Option<Duration> {
        if self.profile.cut {
            self.dropped += 1;
            return None;
        }
        // xorshift64*: deterministic per relay, good enough to spread drops.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let draw =
            (self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        if draw < self.profile.loss {
            self.dropped += 1;
            return None;
        }
        Some(self.profile.one_way_delay)
    }
}

/// A running relay.
pub struct Relay {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Relay {
    /// A relay on 127.0.0.1 (a port of its own) to `server`, with `profile`.
    pub async fn start(server: SocketAddr, profile: LinkProfile) -> std::io::Result<Self> {
        let front = Arc::new(UdpSocket::bind("127.0.0.1:0").await?);
        let back = Arc::new(UdpSocket::bind("127.0.0.1:0").await?);
        back.connect(server).await?;
        let state = Arc::new(Mutex::new(State {
            profile,
            client: None,
            rng: 0x9e37_79b9_7f4a_7c15,
            dropped: 0,
        }));
        let address = front.local_addr()?;
        let upstream = {
            let (front, back, state) = (front.clone(), back.clone(), state.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65_536];
                while let Ok((len, from)) = front.recv_from(&mut buf).await {
                    let delay = {
                        let mut state = super::lock(&state);
                        state.client = Some(from);
                        state.decide()
                    };
                    let Some(delay) = delay else { continue };
                    let datagram = buf[..len].to_vec();
                    let back = back.clone();
                    send_later(delay, async move {
                        let _ = back.send(&datagram).await;
                    });
                }
            })
        };
        let downstream = {
            let (front, back, state) = (front.clone(), back.clone(), state.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65_536];
                while let Ok(len) = back.recv(&mut buf).await {
                    let (delay, client) = {
                        let mut state = super::lock(&state);
                        (state.decide(), state.client)
                    };
                    let (Some(delay), Some(client)) = (delay, client) else {
                        continue;
                    };
                    let datagram = buf[..len].to_vec();
                    let front = front.clone();
                    send_later(delay, async move {
                        let _ = front.send_to(&datagram, client).await;
                    });
                }
            })
        };
        Ok(Self {
            address,
            state,
            tasks: vec![upstream, downstream],
        })
    }

    /// Where clients connect.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Changes how the link behaves from now on.
    pub fn set(&self, profile: LinkProfile) {
        super::lock(&self.state).profile = profile;
    }

    /// Cuts the link (`true`) or restores it (`false`), keeping delay and loss.
    pub fn cut(&self, cut: bool) {
        super::lock(&self.state).profile.cut = cut;
    }

    /// Datagrams dropped so far.
    pub fn dropped(&self) -> u64 {
        super::lock(&self.state).dropped
    }
}

fn send_later(delay: Duration, send: impl std::future::Future<Output = ()> + Send + 'static) {
    if delay.is_zero() {
        tokio::spawn(send);
    } else {
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            send.await;
        });
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
