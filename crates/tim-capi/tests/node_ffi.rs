//! Node.js loads `libImSDK.so` through koffi, an FFI package from the npm registry, the way
//! Electron apps load Tencent's SDK (`tests/node/smoke.js`): callExperimentalAPI, TIMInit,
//! TIMLogin, TIMConvGetConvList, TIMProfileGetUserProfileList, logout, TIMUninit and a clean
//! exit, against a real server where a peer (this driver, a `tim-rs` client with a profile)
//! has written to the user. `node` and `npm` are required (CI installs them); koffi is
//! installed once into the test's target directory. A missing tool fails the test and says
//! how to install it.

mod common;

use common::{APP, command, finish, im_sdk_dir, rs_client, rs_login, server, sig};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use tim_rs::model::UserProfileItem;

/// The koffi version the test installs.
const KOFFI: &str = "koffi@2";

/// A directory with `node_modules/koffi`, installed with npm on first use.
fn koffi_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("node-ffi");
    if dir.join("node_modules/koffi/package.json").exists() {
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", KOFFI])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|err| {
            panic!(
                "cannot run npm (install Node.js and npm, e.g. `apt-get install nodejs npm`): {err}"
            )
        });
    assert!(
        output.status.success(),
        "npm install {KOFFI} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_loads_the_library_through_an_ffi_package_and_exits_cleanly() {
    let modules = koffi_dir();
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;
    let peer = rs_client(&server, &dir.path().join("peer-data"));
    rs_login(&peer, "peer").await;
    tokio::time::timeout(
        Duration::from_secs(20),
        peer.set_profile(UserProfileItem {
            nick_name: Some("Peer".into()),
            ..UserProfileItem::default()
        }),
    )
    .await
    .unwrap_or_else(|_| panic!("profile: timeout"))
    .unwrap_or_else(|err| panic!("profile: {err}"));
    let to_node = peer.c2c("nodeuser").unwrap_or_else(|err| panic!("{err}"));
    tokio::time::timeout(Duration::from_secs(20), to_node.send_text("hello node"))
        .await
        .unwrap_or_else(|_| panic!("send: timeout"))
        .unwrap_or_else(|err| panic!("send: {err:?}"));

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node/smoke.js");
    let node = command(Path::new("node"), dir.path(), &env)
        .env("NODE_PATH", modules.join("node_modules"))
        .arg(&script)
        .arg(im_sdk_dir().join("libImSDK.so"))
        .args([
            "node-data",
            &APP.to_string(),
            "nodeuser",
            &sig("nodeuser"),
            "peer",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| {
            panic!("cannot run node (install Node.js, e.g. `apt-get install nodejs npm`): {err}")
        });
    let output = finish("node", node);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("OK node 1"), "{stdout}");
}
