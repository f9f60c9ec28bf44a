//! The sending side of one connection: a bounded queue of encoded frames; a frame that does
//! not fit closes the connection (the device reconnects and syncs).

use tokio::sync::mpsc;

/// What a connection's writer task receives.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// An encoded frame to write.
    Frame(Vec<u8>),
    /// Finish the stream after the frames before it, then close the connection.
    Close,
}

/// The sending side of one connection.
#[derive(Debug, Clone)]
pub(crate) struct Outbound {
    pub tx: mpsc::Sender<Outgoing>,
    pub connection: quinn::Connection,
}

impl Outbound {
    /// Queues `frame`; closes the connection when its queue is full. Returns whether queued.
    pub fn push(&self, frame: Vec<u8>) -> bool {
        match self.tx.try_send(Outgoing::Frame(frame)) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::debug!("outbound queue full: closing the connection");
                self.connection
                    .close(quinn::VarInt::from_u32(2), b"too slow: reconnect and sync");
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Queues `frame` and then the close of the connection.
    pub fn push_then_close(&self, frame: Vec<u8>) {
        if self.push(frame) && self.tx.try_send(Outgoing::Close).is_err() {
            self.connection.close(quinn::VarInt::from_u32(0), b"closed");
        }
    }
}
