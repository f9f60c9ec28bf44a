//! UserSig (TLSSigAPIv2) minting and verification, including tokens built independently the
//! way Tencent's libraries build them.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use std::io::Write;
use tim_server::usersig::{UserSigError, gen_user_sig_at, verify};

const APP: u64 = 1_400_000_000;
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const NOW: u64 = 1_700_000_000;

/// Builds a token independently of the crate: JSON -> zlib -> base64 with the URL-safe
/// substitutions; `numbers_as_strings` writes the numeric fields as strings.
fn tencent_style(
    identifier: &str,
    expire: u64,
    time: u64,
    userbuf: Option<&[u8]>,
    numbers_as_strings: bool,
) -> String {
    let userbuf = userbuf.map(|b| STANDARD.encode(b));
    let mut content = format!(
        "TLS.identifier:{identifier}\nTLS.sdkappid:{APP}\nTLS.time:{time}\nTLS.expire:{expire}\n"
    );
    if let Some(buf) = &userbuf {
        content.push_str(&format!("TLS.userbuf:{buf}\n"));
    }
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(content.as_bytes());
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    let number = |n: u64| {
        if numbers_as_strings {
            serde_json::json!(n.to_string())
        } else {
            serde_json::json!(n)
        }
    };
    let mut doc = serde_json::json!({
        "TLS.ver": "2.0",
        "TLS.identifier": identifier,
        "TLS.sdkappid": number(APP),
        "TLS.expire": number(expire),
        "TLS.time": number(time),
        "TLS.sig": sig,
    });
    if let Some(buf) = userbuf {
        doc["TLS.userbuf"] = serde_json::json!(buf);
    }
    pack(doc.to_string().as_bytes())
}

fn pack(json: &[u8]) -> String {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(json).unwrap();
    STANDARD
        .encode(encoder.finish().unwrap())
        .replace('+', "*")
        .replace('/', "-")
        .replace('=', "_")
}

#[test]
fn minted_tokens_round_trip() {
    let sig = gen_user_sig_at(APP, KEY, "user1", 180 * 86400, NOW, None);
    let claims = verify(&sig, APP, KEY, "user1", NOW + 10).unwrap();
    assert_eq!(
        (
            claims.identifier.as_str(),
            claims.sdk_app_id,
            claims.time,
            claims.expire
        ),
        ("user1", APP, NOW, 180 * 86400)
    );
    assert_eq!(claims.userbuf, None);
    let with_buf = gen_user_sig_at(APP, KEY, "user1", 600, NOW, Some(b"\x00room-42\xff"));
    let claims = verify(&with_buf, APP, KEY, "user1", NOW).unwrap();
    assert_eq!(claims.userbuf.as_deref(), Some(&b"\x00room-42\xff"[..]));
}

#[test]
fn independently_built_tokens_verify() {
    for as_strings in [false, true] {
        let sig = tencent_style("user1", 86400, NOW, None, as_strings);
        assert!(
            verify(&sig, APP, KEY, "user1", NOW).is_ok(),
            "strings: {as_strings}"
        );
        let sig = tencent_style("user1", 86400, NOW, Some(b"abc"), as_strings);
        assert_eq!(
            verify(&sig, APP, KEY, "user1", NOW)
                .unwrap()
                .userbuf
                .as_deref(),
            Some(&b"abc"[..])
        );
    }
}

#[test]
fn refusals_carry_their_tim_codes() {
    let sig = gen_user_sig_at(APP, KEY, "user1", 100, NOW, None);
    let code = |result: Result<_, UserSigError>| result.unwrap_err().code();
    assert_eq!(code(verify(&sig, APP, KEY, "user1", NOW + 101)), 70001);
    assert!(verify(&sig, APP, KEY, "user1", NOW + 100).is_ok());
    assert_eq!(code(verify(&sig, APP, "another key", "user1", NOW)), 70009);
    assert_eq!(code(verify(&sig, APP + 1, KEY, "user1", NOW)), 70014);
    assert_eq!(code(verify(&sig, APP, KEY, "user2", NOW)), 70013);
    assert_eq!(code(verify("", APP, KEY, "user1", NOW)), 70002);
    assert_eq!(code(verify("not base64 !!", APP, KEY, "user1", NOW)), 70003);
    assert_eq!(
        code(verify(
            &STANDARD.encode(b"not zlib"),
            APP,
            KEY,
            "user1",
            NOW
        )),
        70003
    );
    assert_eq!(code(verify(&pack(b"[1,2]"), APP, KEY, "user1", NOW)), 70003);
    assert_eq!(
        code(verify(
            &pack(b"{\"TLS.identifier\":\"user1\"}"),
            APP,
            KEY,
            "user1",
            NOW
        )),
        70003
    );
    assert_eq!(UserSigError::UnknownApp(1).code(), 70016);
    // A token whose content was altered after signing.
    let forged = tencent_style("user1", 86400 * 365, NOW, None, false);
    let mut doc: serde_json::Value = {
        let bytes = STANDARD
            .decode(forged.replace('*', "+").replace('-', "/").replace('_', "="))
            .unwrap();
        let mut json = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::ZlibDecoder::new(bytes.as_slice()),
            &mut json,
        )
        .unwrap();
        serde_json::from_str(&json).unwrap()
    };
    doc["TLS.expire"] = serde_json::json!(86400 * 3650);
    assert_eq!(
        code(verify(
            &pack(doc.to_string().as_bytes()),
            APP,
            KEY,
            "user1",
            NOW
        )),
        70009
    );
}
