//! Image renditions: decoding an uploaded image (pixel size and format) and making its large
//! (short side 720 px) and thumbnail (short side 198 px) versions, in the same format where
//! the `image` crate can encode it and PNG otherwise. A side already at or under the target
//! keeps the image's size. Blocking work: run it on the blocking pool, under the server's bound
//! on concurrent decodes. An image over the decode limits is never decoded (see [`make`]).

use ::image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::path::{Path, PathBuf};

/// Short side of the large rendition, pixels.
pub(crate) const LARGE_SHORT_SIDE: u32 = 720;
/// Short side of the thumbnail, pixels.
pub(crate) const THUMB_SHORT_SIDE: u32 = 198;

/// TIM image format codes.
pub(crate) const FORMAT_JPG: i32 = 1;
/// GIF.
pub(crate) const FORMAT_GIF: i32 = 2;
/// PNG.
pub(crate) const FORMAT_PNG: i32 = 3;
/// BMP.
pub(crate) const FORMAT_BMP: i32 = 4;
/// Unknown.
pub(crate) const FORMAT_UNKNOWN: i32 = 0xff;

/// One made rendition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendition {
    /// 1 thumbnail, 2 large.
    pub level: i32,
    /// Its file (beside the source).
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
    pub format: i32,
    pub size: u64,
}

/// What decoding an image found and made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub width: u32,
    pub height: u32,
    pub format: i32,
    /// Large, then thumbnail.
    pub renditions: Vec<Rendition>,
}

fn tim_format(format: ImageFormat) -> i32 {
    match format {
        ImageFormat::Jpeg => FORMAT_JPG,
        ImageFormat::Gif => FORMAT_GIF,
        ImageFormat::Png => FORMAT_PNG,
        ImageFormat::Bmp => FORMAT_BMP,
        _ => FORMAT_UNKNOWN,
    }
}

/// The size of a rendition whose short side is `short` (the original's when already smaller).
pub(crate) fn scaled(width: u32, height: u32, short: u32) -> (u32, u32) {
    let min = width.min(height);
    if min <= short || min == 0 {
        return (width, height);
    }
    let scale = |side: u32| -> u32 {
        let value = (u64::from(side) * u64::from(short) + u64::from(min) / 2) / u64::from(min);
        u32::try_from(value).unwrap_or(u32::MAX).max(1)
    };
    (scale(width), scale(height))
}

/// The pixel size and format of an image file without decoding it (video snapshots), or
/// `None` when it is not an image this server reads.
pub(crate) fn probe(source: &Path) -> std::io::Result<Option<(u32, u32, i32)>> {
    let reader = ImageReader::open(source)?.with_guessed_format()?;
    let Some(format) = reader.format() else {
        return Ok(None);
    };
    Ok(reader
        .into_dimensions()
        .ok()
        .map(|(width, height)| (width, height, tim_format(format))))
}

/// Bounds on decoding one image, from [`MediaLimits`](crate::MediaLimits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DecodeLimits {
    /// Largest width and height, pixels.
    pub max_side: u32,
    /// Most bytes of decoded pixels.
    pub max_bytes: u64,
}

impl DecodeLimits {
    /// Whether an image of this size, whose decoded pixels take `decoded_bytes`, may be
    /// decoded.
    fn allow(self, width: u32, height: u32, decoded_bytes: u64) -> bool {
        width <= self.max_side && height <= self.max_side && decoded_bytes <= self.max_bytes
    }

    /// The same bounds for the decoder itself (a second line of defence: a decoder that
    /// allocates more than its header announced is stopped).
    fn image_limits(self) -> ::image::Limits {
        let mut limits = ::image::Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        limits.max_alloc = Some(self.max_bytes);
        limits
    }
}

/// Decodes `source` and writes its renditions next to it (`<source>.large`,
/// `<source>.thumb`). `None` when it is not an image this server can decode (it is then
/// kept as is, without renditions).
///
/// The image's size is read from its header first; an image over `limits` is never decoded:
/// its size and format are returned without renditions (the upload is kept, the client shows
/// the original). Decoding needs about the decoded pixels (at most `limits.max_bytes`) plus
/// the renditions (short side 720 px, so small beside it).
pub(crate) fn make(source: &Path, limits: DecodeLimits) -> std::io::Result<Option<Decoded>> {
    let mut reader = ImageReader::open(source)?.with_guessed_format()?;
    let Some(format) = reader.format() else {
        return Ok(None);
    };
    // Reading the header allocates little; the pixel bounds are checked on what it says.
    let mut header_limits = ::image::Limits::default();
    header_limits.max_alloc = Some(limits.max_bytes);
    reader.limits(header_limits);
    let Ok(mut decoder) = reader.into_decoder() else {
        return Ok(None);
    };
    let (width, height) = decoder.dimensions();
    let found = |renditions| Decoded {
        width,
        height,
        format: tim_format(format),
        renditions,
    };
    if !limits.allow(width, height, decoder.total_bytes())
        || decoder.set_limits(limits.image_limits()).is_err()
    {
        tracing::info!(
            "image of {width}x{height} pixels is over the decode limits ({} px a side, {} bytes): stored without renditions",
            limits.max_side,
            limits.max_bytes
        );
        return Ok(Some(found(Vec::new())));
    }
    let Ok(image) = DynamicImage::from_decoder(decoder) else {
        return Ok(None);
    };
    let encode_as = match format {
        ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::Png | ImageFormat::Bmp => format,
        _ => ImageFormat::Png,
    };
    let mut renditions = Vec::new();
    for (level, short, suffix) in [
        (2, LARGE_SHORT_SIDE, "large"),
        (1, THUMB_SHORT_SIDE, "thumb"),
    ] {
        let (w, h) = scaled(width, height, short);
        let path = source.with_extension(suffix);
        // Area averaging straight into the small image: unlike a filtered resize it needs no
        // floating-point copy of the large one.
        let resized = ((w, h) != (width, height)).then(|| image.thumbnail_exact(w, h));
        let made = resized.as_ref().unwrap_or(&image);
        // JPEG cannot hold an alpha channel.
        let saved = if encode_as == ImageFormat::Jpeg && made.color().has_alpha() {
            DynamicImage::ImageRgb8(made.to_rgb8()).save_with_format(&path, encode_as)
        } else {
            made.save_with_format(&path, encode_as)
        };
        saved.map_err(std::io::Error::other)?;
        let size = std::fs::metadata(&path)?.len();
        renditions.push(Rendition {
            level,
            path,
            width: w,
            height: h,
            format: tim_format(encode_as),
            size,
        });
    }
    Ok(Some(found(renditions)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_side_is_scaled_and_small_images_keep_their_size() {
        assert_eq!(scaled(2000, 1000, 720), (1440, 720));
        assert_eq!(scaled(2000, 1000, 198), (396, 198));
        assert_eq!(scaled(1000, 2000, 198), (198, 396));
        assert_eq!(scaled(300, 100, 720), (300, 100));
        assert_eq!(scaled(720, 900, 720), (720, 900));
    }
}
