//! Image decode limits against a real in-process server: a decompression bomb (a PNG of a few
//! hundred KiB whose pixels would take hundreds of MiB) is stored as uploaded, with its size
//! and format read from its header, without renditions, answered quickly, and without the
//! server's memory growing.
//!
//! Its own test binary on purpose: the memory it measures is the whole process's, so no other
//! test may run beside it.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::media::*;
use common::*;
use std::time::{Duration, Instant};

/// The bound on the peak memory growth of one upload, bytes.
const MAX_GROWTH: u64 = 256 * 1024 * 1024;
/// The bound on the time to answer one upload.
const MAX_ANSWER: Duration = Duration::from_secs(5);

/// A valid 8-bit grayscale PNG of `width` x `height` black pixels, made without ever holding
/// its pixels: after the first, every row (filter byte and zeros) compresses to the same bytes,
/// each ended at a byte boundary by a sync flush, so one row's bytes are repeated; then an
/// empty final block and the Adler-32 of that many zero bytes.
fn black_png(width: u32, height: u32) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let row = vec![0u8; width as usize + 1];
    let mut deflate = Compress::new(Compression::best(), true);
    let mut next_row = || {
        let mut out = Vec::with_capacity(row.len() + 1024);
        let before = deflate.total_in();
        deflate
            .compress_vec(&row, &mut out, FlushCompress::Sync)
            .unwrap();
        assert_eq!(deflate.total_in() - before, row.len() as u64);
        out
    };
    let mut zlib = next_row();
    let second = next_row();
    assert_eq!(next_row(), second, "rows do not compress alike");
    zlib.reserve(second.len() * height as usize);
    for _ in 1..height {
        zlib.extend_from_slice(&second);
    }
    // A final stored block of no bytes, then Adler-32 (a = 1 over zeros, b = 1 per byte).
    zlib.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    let zeros = u64::from(height) * (u64::from(width) + 1);
    let adler = ((zeros % 65521) as u32) << 16 | 1;
    zlib.extend_from_slice(&adler.to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        png.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, grayscale, deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}

/// A field of `/proc/self/status`, bytes.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    let kib: u64 = line
        .trim_start_matches(field)
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib * 1024
}

#[test]
fn the_png_maker_makes_valid_pngs() {
    let png = black_png(300, 200);
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    assert_eq!(image.dimensions(), (300, 200));
    assert!(image.pixels().all(|pixel| pixel.0 == [0]));
}

#[tokio::test]
async fn an_image_over_the_decode_limits_is_stored_without_renditions_quickly_and_in_little_memory()
{
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    // 30,000² is over every limit (and over the image crate's own 512 MiB default); 20,000²
    // (400 MB of pixels) is under that default but over the server's (16,384 px a side,
    // 256 MiB), so only the server's own limits keep it from being decoded.
    for (index, side) in [30_000u32, 20_000].into_iter().enumerate() {
        let png = black_png(side, side);
        let upload_id = format!("{index:032x}");
        // Reset the peak resident size to the current one (Linux: clear_refs 5).
        std::fs::write("/proc/self/clear_refs", "5").unwrap();
        let before = status_bytes("VmRSS:");
        let started = Instant::now();
        let done = upload(&alice, &upload_id, IMAGE, conv(C2C, "bob"), &png)
            .await
            .unwrap();
        let answered = started.elapsed();
        let peak = status_bytes("VmHWM:");
        let growth = peak.saturating_sub(before);
        eprintln!(
            "{side}x{side} PNG of {} bytes: answered in {answered:?}, peak resident growth {} KiB",
            png.len(),
            growth / 1024
        );
        let file = done.file.unwrap();
        assert_eq!((file.width, file.height, file.format), (side, side, 3));
        assert_eq!(file.size, png.len() as u64);
        assert!(done.variants.is_empty(), "{:?}", done.variants);
        assert!(answered < MAX_ANSWER, "answered in {answered:?}");
        assert!(growth < MAX_GROWTH, "memory grew by {growth} bytes");
        // It is kept as the file it is: the peer downloads it whole.
        let (total, bytes) = download(&bob, &file.file_id, 0).await.unwrap();
        assert_eq!(total, png.len() as u64);
        assert!(bytes == png, "downloaded bytes differ");
    }
    // The server still serves.
    alice.send_ok(C2C, "bob", "m-after-bomb", "hi").await;
    server.stop().await;
}

#[tokio::test]
async fn the_decode_limits_are_configurable() {
    let server = TestServer::start_with(|config| {
        config.media.max_decode_side = 1000;
        config.media.max_concurrent_decodes = 1;
    })
    .await;
    let alice = server.client("alice", "a").await;
    let small = upload(&alice, ID_A, IMAGE, conv(C2C, "bob"), &black_png(1000, 10))
        .await
        .unwrap();
    assert_eq!(small.variants.len(), 2);
    let wide = upload(&alice, ID_B, IMAGE, conv(C2C, "bob"), &black_png(1001, 10))
        .await
        .unwrap();
    assert_eq!(wide.file.unwrap().width, 1001);
    assert!(wide.variants.is_empty());
    server.stop().await;
}
