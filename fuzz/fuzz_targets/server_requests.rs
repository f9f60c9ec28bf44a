//! Any frames a logged-in client may send: the server's request handling, against a redb
//! store in a temporary directory, answers each with a response or a TIM error, never a panic
//! (on the handler or on the writer thread: libFuzzer aborts on both).
//!
//! One server lives for the whole run, so the store grows from input to input as a server's
//! does; a crash may need the inputs before it (`-runs` over the corpus replays them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};
use tim_proto::v1::server_frame::Body as Response;
use tim_server::fuzzing::FuzzServer;

static SERVER: OnceLock<Mutex<FuzzServer>> = OnceLock::new();

fn server() -> &'static Mutex<FuzzServer> {
    SERVER.get_or_init(|| {
        // `cargo xtask fuzz` names a scratch directory and removes it after the run; otherwise
        // tmpfs where there is one, so that the writer's commits cost no disk flush. (The
        // server is never dropped: libFuzzer exits the process.)
        let shm = std::path::Path::new("/dev/shm");
        let parent = match std::env::var_os("TIM_FUZZ_SCRATCH") {
            Some(dir) => dir.into(),
            None if shm.is_dir() => shm.to_path_buf(),
            None => std::env::temp_dir(),
        };
        match FuzzServer::new(&parent) {
            Ok(server) => Mutex::new(server),
            Err(error) => panic!("cannot start the fuzz server: {error}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let mut server = server()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for answer in server.handle_frames(data) {
        match answer.body {
            Some(Response::Error(error)) => {
                assert!(error.code != 0, "an error without a code: {error:?}");
            }
            Some(_) => {}
            None => panic!("an answer without a body"),
        }
    }
});
