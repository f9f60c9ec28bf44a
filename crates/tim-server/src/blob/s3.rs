//! [`S3BlobStore`]: media blobs in any S3-compatible object store (AWS S3, MinIO, Ceph RGW,
//! Garage, ...), through the `object_store` crate (Apache Arrow).
//!
//! Uploads of up to one part ([`PART_SIZE`]) are a single PUT; larger files go up as a
//! multipart upload read from disk one part at a time, so at most a few parts are in memory
//! whatever the file size. Reads from an offset are a HEAD then a ranged GET pinned to the
//! object's ETag (`If-Match`), so a blob replaced in between fails instead of mixing bytes.
//!
//! TLS is rustls with the ring provider (never aws-lc-rs, see ARCHITECTURE.md): the HTTP client
//! is built here with its own rustls configuration instead of the crate's default connector.
//! Server certificates are checked against the platform's trust store.

use super::{BlobReader, BlobStore, BoxFuture};
use bytes::Bytes;
use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{HttpClient, HttpConnector};
use object_store::path::Path as ObjectPath;
use object_store::{
    BackoffConfig, ClientOptions, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload,
    RetryConfig, WriteMultipart,
};
use rustls_platform_verifier::BuilderVerifierExt;
use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio_util::io::StreamReader;

/// Size of one multipart part (S3 requires at least 5 MiB for every part but the last). Files
/// no larger than this are uploaded with a single PUT.
pub const PART_SIZE: usize = 8 * 1024 * 1024;
/// Parts uploaded at the same time during a multipart upload.
const PART_CONCURRENCY: usize = 2;
/// How long establishing a connection to the store may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the store may stay silent on an open request before it is given up.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Where and how to reach an S3-compatible bucket.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    /// The service URL, e.g. `http://127.0.0.1:9000` for a local MinIO or
    /// `https://s3.eu-west-1.amazonaws.com` for AWS. Plain `http://` is allowed (for a store on
    /// a private network); `https://` is checked against the platform's trust store.
    pub endpoint: String,
    /// The bucket; it must exist.
    pub bucket: String,
    /// The region used in request signatures (MinIO accepts any, usually `us-east-1`).
    pub region: String,
    /// The access key ID.
    pub access_key: String,
    /// The secret access key.
    pub secret_key: String,
    /// Path-style requests (`<endpoint>/<bucket>/<key>`, what MinIO needs) instead of
    /// virtual-hosted style (`<bucket>.<endpoint host>/<key>`).
    pub path_style: bool,
    /// An optional key prefix inside the bucket (e.g. `tim/prod`), so several servers or other
    /// data can share one bucket.
    pub prefix: Option<String>,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("path_style", &self.path_style)
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// Blob storage in an S3-compatible bucket.
#[derive(Debug)]
pub struct S3BlobStore {
    store: AmazonS3,
    /// The key prefix without leading or trailing `/`; empty for none.
    prefix: String,
}

impl S3BlobStore {
    /// Prepares a store for `config`. No request is sent yet: a wrong endpoint, bucket or key
    /// shows up on the first operation. Fails on a malformed endpoint or an empty bucket.
    pub fn new(config: S3Config) -> io::Result<Self> {
        let endpoint = config.endpoint.trim().trim_end_matches('/');
        let (scheme, authority) = endpoint.split_once("://").ok_or_else(|| {
            invalid(format!(
                "S3 endpoint {endpoint:?}: expected http://host[:port] or https://host[:port]"
            ))
        })?;
        let allow_http = match scheme {
            "http" => true,
            "https" => false,
            other => {
                return Err(invalid(format!(
                    "S3 endpoint: unsupported scheme {other:?}"
                )));
            }
        };
        if authority.is_empty() {
            return Err(invalid(format!("S3 endpoint {endpoint:?}: no host")));
        }
        if config.bucket.is_empty() {
            return Err(invalid("S3 bucket name is empty"));
        }
        // object_store wants the bucket inside the endpoint for virtual-hosted requests.
        let endpoint = if config.path_style {
            endpoint.to_owned()
        } else {
            format!("{scheme}://{}.{authority}", config.bucket)
        };
        let store = AmazonS3Builder::new()
            .with_endpoint(endpoint)
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key)
            .with_secret_access_key(&config.secret_key)
            .with_virtual_hosted_style_request(!config.path_style)
            .with_allow_http(allow_http)
            // One DELETE per key: our deletes are single keys, and not every S3-compatible
            // store implements the bulk DeleteObjects call.
            .with_disable_bulk_delete(true)
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
            })
            .with_http_connector(RingConnector {
                https_only: !allow_http,
            })
            .build()
            .map_err(|err| invalid(format!("S3 configuration: {err}")))?;
        let prefix = config
            .prefix
            .as_deref()
            .unwrap_or("")
            .trim_matches('/')
            .to_owned();
        Ok(Self { store, prefix })
    }

    /// The object path of `key`, under the prefix.
    fn location(&self, key: &str) -> io::Result<ObjectPath> {
        let full = if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}/{key}", self.prefix)
        };
        ObjectPath::parse(&full).map_err(|err| invalid(format!("blob key {key:?}: {err}")))
    }

    async fn put_file_impl(&self, key: &str, path: &Path) -> io::Result<()> {
        let location = self.location(key)?;
        let mut file = tokio::fs::File::open(path).await?;
        // The size only sizes the buffers; the reads decide where the file ends.
        let mut remaining = file.metadata().await?.len();
        let first = read_part(&mut file, &mut remaining).await?;
        if first.len() < PART_SIZE {
            self.store
                .put(&location, PutPayload::from(first))
                .await
                .map_err(to_io)?;
            return Ok(());
        }
        let upload = self.store.put_multipart(&location).await.map_err(to_io)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        writer.put(Bytes::from(first));
        // A 100 MiB file is 13 parts; the bound only guards against a file that keeps growing.
        for _ in 0..MAX_PARTS {
            if let Err(err) = writer.wait_for_capacity(PART_CONCURRENCY).await {
                abort(writer).await;
                return Err(to_io(err));
            }
            let part = match read_part(&mut file, &mut remaining).await {
                Ok(part) => part,
                Err(err) => {
                    abort(writer).await;
                    return Err(err);
                }
            };
            if part.is_empty() {
                return writer.finish().await.map(|_| ()).map_err(to_io);
            }
            let last = part.len() < PART_SIZE;
            writer.put(Bytes::from(part));
            if last {
                return writer.finish().await.map(|_| ()).map_err(to_io);
            }
        }
        abort(writer).await;
        Err(invalid(format!(
            "{}: more than {MAX_PARTS} parts of {PART_SIZE} bytes",
            path.display()
        )))
    }

    async fn open_impl(&self, key: &str, offset: u64) -> io::Result<Option<BlobReader>> {
        let location = self.location(key)?;
        let options = if offset == 0 {
            GetOptions::default()
        } else {
            let meta = match self.store.head(&location).await {
                Ok(meta) => meta,
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                Err(err) => return Err(to_io(err)),
            };
            if offset > meta.size {
                return Err(invalid(format!(
                    "blob {key:?}: offset {offset} is past its end ({} bytes)",
                    meta.size
                )));
            }
            if offset == meta.size {
                // S3 refuses a range that starts at the end (416); nothing is left to read.
                return Ok(Some(BlobReader {
                    total_size: meta.size,
                    reader: Box::pin(tokio::io::empty()),
                }));
            }
            GetOptions {
                range: Some(GetRange::Offset(offset)),
                if_match: meta.e_tag,
                ..GetOptions::default()
            }
        };
        let result = match self.store.get_opts(&location, options).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(err) => return Err(to_io(err)),
        };
        let total_size = result.meta.size;
        let stream = result.into_stream().map_err(to_io);
        Ok(Some(BlobReader {
            total_size,
            reader: Box::pin(StreamReader::new(stream)),
        }))
    }

    async fn delete_impl(&self, key: &str) -> io::Result<()> {
        let location = self.location(key)?;
        match self.store.delete(&location).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(to_io(err)),
        }
    }
}

/// Parts a single upload may have: far above the 100 MiB media limit (13 parts), far below
/// S3's 10,000.
const MAX_PARTS: usize = 1000;

impl BlobStore for S3BlobStore {
    fn put_file<'a>(&'a self, key: &'a str, path: &'a Path) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(self.put_file_impl(key, path))
    }

    fn open<'a>(
        &'a self,
        key: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, io::Result<Option<BlobReader>>> {
        Box::pin(self.open_impl(key, offset))
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(self.delete_impl(key))
    }
}

/// Reads up to [`PART_SIZE`] bytes; fewer only at the end of the file. `remaining` (the bytes
/// expected to be left) sizes the buffer, so a small file does not cost a whole part.
async fn read_part(file: &mut tokio::fs::File, remaining: &mut u64) -> io::Result<Vec<u8>> {
    let capacity = usize::try_from(*remaining).map_or(PART_SIZE, |left| left.min(PART_SIZE));
    let mut part = Vec::with_capacity(capacity);
    (&mut *file)
        .take(PART_SIZE as u64)
        .read_to_end(&mut part)
        .await?;
    *remaining = remaining.saturating_sub(part.len() as u64);
    Ok(part)
}

/// Gives up a multipart upload so the store drops its parts (best effort: a store that keeps
/// them anyway should have a lifecycle rule for incomplete uploads).
async fn abort(writer: WriteMultipart) {
    if let Err(err) = writer.abort().await {
        tracing::warn!("aborting an S3 multipart upload failed: {err}");
    }
}

fn to_io(err: object_store::Error) -> io::Error {
    io::Error::from(err)
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.into())
}

/// Builds the HTTP client object_store uses: reqwest over rustls with the ring provider.
#[derive(Debug)]
struct RingConnector {
    https_only: bool,
}

impl HttpConnector for RingConnector {
    fn connect(&self, _options: &ClientOptions) -> object_store::Result<HttpClient> {
        let generic =
            |source: Box<dyn std::error::Error + Send + Sync>| object_store::Error::Generic {
                store: "S3",
                source,
            };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|err| generic(Box::new(err)))?
            .with_platform_verifier()
            .map_err(|err| generic(Box::new(err)))?
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .https_only(self.https_only)
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(READ_TIMEOUT)
            .build()
            .map_err(|err| generic(Box::new(err)))?;
        Ok(HttpClient::new(client))
    }
}
