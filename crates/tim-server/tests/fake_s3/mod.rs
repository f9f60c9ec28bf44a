//! A small S3-compatible endpoint on 127.0.0.1:0 for tests: path-style PUT, GET (with Range and
//! If-Match), HEAD and DELETE of objects and the multipart calls (CreateMultipartUpload,
//! UploadPart, CompleteMultipartUpload, AbortMultipartUpload) over an in-memory map, on
//! HTTP/1.1 with keep-alive. It does not verify signatures, but refuses a request without an
//! `AWS4-HMAC-SHA256` Authorization header for the expected access key (403), and records
//! every request.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, missing_docs)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// Largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted.
const MAX_BODY: usize = 64 * 1024 * 1024;
/// Requests served on one connection before it is closed.
const MAX_REQUESTS_PER_CONNECTION: usize = 10_000;
/// S3's smallest part size for every part but the last.
const MIN_PART: usize = 5 * 1024 * 1024;
/// A fixed Last-Modified date in the RFC 2822 form S3 uses.
const LAST_MODIFIED: &str = "Sun, 22 Nov 2026 10:00:00 GMT";

/// One request as seen by the endpoint.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The decoded path, e.g. `/bucket/app/file`.
    pub path: String,
    pub query: String,
    pub body_len: usize,
    pub authorized: bool,
}

#[derive(Default)]
struct State {
    objects: HashMap<String, (Vec<u8>, String)>,
    uploads: HashMap<String, HashMap<u32, (Vec<u8>, String)>>,
    next_id: u64,
    log: Vec<Recorded>,
}

/// The running endpoint; it stops when dropped.
pub struct FakeS3 {
    pub addr: SocketAddr,
    pub bucket: String,
    pub access_key: String,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeS3 {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeS3 {
    pub async fn start(bucket: &str, access_key: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|err| panic!("bind: {err}"));
        let addr = listener.local_addr().unwrap_or_else(|err| panic!("{err}"));
        let state = Arc::new(Mutex::new(State::default()));
        let (bucket, access_key) = (bucket.to_owned(), access_key.to_owned());
        let shared = Arc::clone(&state);
        let (b, k) = (bucket.clone(), access_key.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (state, b, k) = (Arc::clone(&shared), b.clone(), k.clone());
                tokio::spawn(async move {
                    let _ = serve_connection(stream, &state, &b, &k).await;
                });
            }
        });
        Self {
            addr,
            bucket,
            access_key,
            state,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn log(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn clear_log(&self) {
        self.state.lock().unwrap().log.clear();
    }

    /// The object at `key` (without the bucket), if any.
    pub fn object(&self, key: &str) -> Option<Vec<u8>> {
        let state = self.state.lock().unwrap();
        state.objects.get(key).map(|(bytes, _)| bytes.clone())
    }

    pub fn object_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.state.lock().unwrap().objects.keys().cloned().collect();
        keys.sort();
        keys
    }

    /// Multipart uploads created and neither completed nor aborted.
    pub fn open_uploads(&self) -> usize {
        self.state.lock().unwrap().uploads.len()
    }
}

struct Request {
    method: String,
    path: String,
    query: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn xml(mut self, body: String) -> Self {
        self.headers
            .push(("Content-Type".to_owned(), "application/xml".to_owned()));
        self.body = body.into_bytes();
        self
    }

    fn error(status: u16, code: &str) -> Self {
        Self::new(status).xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>\
             <Message>{code}</Message></Error>"
        ))
    }
}

async fn serve_connection(
    stream: TcpStream,
    state: &Mutex<State>,
    bucket: &str,
    access_key: &str,
) -> std::io::Result<()> {
    let mut stream = BufReader::new(stream);
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        let head_only = request.method == "HEAD";
        let response = handle(&request, state, bucket, access_key);
        let mut out = format!("HTTP/1.1 {} X\r\n", response.status);
        let mut has_length = false;
        for (name, value) in &response.headers {
            has_length |= name.eq_ignore_ascii_case("content-length");
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        if !has_length {
            out.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
        }
        out.push_str("\r\n");
        let inner = stream.get_mut();
        inner.write_all(out.as_bytes()).await?;
        if !head_only {
            inner.write_all(&response.body).await?;
        }
        inner.flush().await?;
    }
    Ok(())
}

/// Reads one request; `None` at a clean end of the connection.
async fn read_request(stream: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let mut head_len = 0;
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().ok_or_else(|| bad("no method"))?.to_owned();
    let target = parts.next().ok_or_else(|| bad("no target"))?.to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        let n = stream.read_line(&mut line).await?;
        head_len += n;
        if n == 0 || head_len > MAX_HEAD {
            return Err(bad("truncated or oversized head"));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let body = if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        read_chunked(stream).await?
    } else {
        let len: usize = headers
            .get("content-length")
            .map(|v| v.parse().map_err(|_| bad("content-length")))
            .transpose()?
            .unwrap_or(0);
        if len > MAX_BODY {
            return Err(bad("body too large"));
        }
        let mut body = vec![0; len];
        stream.read_exact(&mut body).await?;
        body
    };
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (target, String::new()),
    };
    Ok(Some(Request {
        method,
        path: percent_decode(&path),
        query,
        headers,
        body,
    }))
}

async fn read_chunked(stream: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).await?;
        let size_hex = line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("chunk size"))?;
        if body.len() + size > MAX_BODY {
            return Err(bad("body too large"));
        }
        if size == 0 {
            // Trailers, then the blank line.
            for _ in 0..100 {
                let mut trailer = String::new();
                if stream.read_line(&mut trailer).await? == 0 || trailer.trim().is_empty() {
                    return Ok(body);
                }
            }
            return Err(bad("too many trailers"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream.read_exact(&mut body[start..]).await?;
        let mut crlf = [0; 2];
        stream.read_exact(&mut crlf).await?;
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })
}

/// A quoted ETag from the content (any stable digest does for a test).
fn etag(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("\"{:016x}{:016x}\"", hasher.finish(), bytes.len())
}

fn handle(request: &Request, state: &Mutex<State>, bucket: &str, access_key: &str) -> Response {
    let authorized = request.headers.get("authorization").is_some_and(|auth| {
        auth.starts_with("AWS4-HMAC-SHA256 ")
            && auth.contains(&format!("Credential={access_key}/"))
            && auth.contains("Signature=")
    });
    let mut state = state.lock().unwrap();
    state.log.push(Recorded {
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        body_len: request.body.len(),
        authorized,
    });
    if !authorized {
        return Response::error(403, "AccessDenied");
    }
    let Some(rest) = request.path.strip_prefix(&format!("/{bucket}/")) else {
        return Response::error(404, "NoSuchBucket");
    };
    let key = rest.to_owned();
    let q = request.query.as_str();
    match (request.method.as_str(), query_param(q, "uploadId")) {
        ("POST", None) if query_param(q, "uploads").is_some() => {
            state.next_id += 1;
            let id = format!("upload-{}", state.next_id);
            state.uploads.insert(id.clone(), HashMap::new());
            Response::new(200).xml(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult>\
                 <Bucket>{bucket}</Bucket><Key>{key}</Key><UploadId>{id}</UploadId>\
                 </InitiateMultipartUploadResult>"
            ))
        }
        ("PUT", Some(id)) => {
            let Some(number) = query_param(q, "partNumber").and_then(|n| n.parse::<u32>().ok())
            else {
                return Response::error(400, "InvalidArgument");
            };
            let tag = etag(&request.body);
            let Some(upload) = state.uploads.get_mut(id) else {
                return Response::error(404, "NoSuchUpload");
            };
            upload.insert(number, (request.body.clone(), tag.clone()));
            Response::new(200).header("ETag", tag)
        }
        ("POST", Some(id)) => complete(&mut state, id, key, &request.body),
        ("DELETE", Some(id)) => {
            state.uploads.remove(id);
            Response::new(204)
        }
        ("PUT", None) => {
            let tag = etag(&request.body);
            state
                .objects
                .insert(key, (request.body.clone(), tag.clone()));
            Response::new(200).header("ETag", tag)
        }
        ("GET" | "HEAD", None) => get(&state, &key, request),
        ("DELETE", None) => {
            state.objects.remove(&key);
            Response::new(204)
        }
        _ => Response::error(405, "MethodNotAllowed"),
    }
}

/// CompleteMultipartUpload: the body lists `<Part><ETag>..</ETag><PartNumber>n</PartNumber>`.
fn complete(state: &mut State, id: &str, key: String, body: &[u8]) -> Response {
    let Some(upload) = state.uploads.get(id) else {
        return Response::error(404, "NoSuchUpload");
    };
    let text = String::from_utf8_lossy(body);
    let mut listed = Vec::new();
    for part in text.split("<Part>").skip(1) {
        let field = |name: &str| {
            part.split(&format!("<{name}>"))
                .nth(1)
                .and_then(|rest| rest.split(&format!("</{name}>")).next())
                .map(|v| v.replace("&quot;", "\""))
        };
        let (Some(tag), Some(number)) = (field("ETag"), field("PartNumber")) else {
            return Response::error(400, "MalformedXML");
        };
        let Ok(number) = number.parse::<u32>() else {
            return Response::error(400, "MalformedXML");
        };
        listed.push((number, tag));
    }
    if listed.is_empty() {
        return Response::error(400, "MalformedXML");
    }
    let mut object = Vec::new();
    for (n, (number, tag)) in listed.iter().enumerate() {
        let Some((bytes, stored_tag)) = upload.get(number) else {
            return Response::error(400, "InvalidPart");
        };
        if stored_tag != tag {
            return Response::error(400, "InvalidPart");
        }
        if n + 1 < listed.len() && bytes.len() < MIN_PART {
            return Response::error(400, "EntityTooSmall");
        }
        object.extend_from_slice(bytes);
    }
    let tag = format!("\"{}-{}\"", etag(&object).trim_matches('"'), listed.len());
    state.uploads.remove(id);
    state.objects.insert(key.clone(), (object, tag.clone()));
    Response::new(200).xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUploadResult>\
         <Key>{key}</Key><ETag>{}</ETag></CompleteMultipartUploadResult>",
        tag.replace('"', "&quot;")
    ))
}

fn get(state: &State, key: &str, request: &Request) -> Response {
    let Some((bytes, tag)) = state.objects.get(key) else {
        return Response::error(404, "NoSuchKey");
    };
    if let Some(expected) = request.headers.get("if-match")
        && expected != tag
        && expected != "*"
    {
        return Response::error(412, "PreconditionFailed");
    }
    let len = bytes.len() as u64;
    let range = request.headers.get("range").and_then(|r| {
        let (start, end) = r.strip_prefix("bytes=")?.split_once('-')?;
        let start: u64 = start.parse().ok()?;
        let end: u64 = if end.is_empty() {
            len.saturating_sub(1)
        } else {
            end.parse::<u64>().ok()?.min(len.saturating_sub(1))
        };
        Some((start, end))
    });
    let base = Response::new(200)
        .header("ETag", tag.clone())
        .header("Last-Modified", LAST_MODIFIED)
        .header("Accept-Ranges", "bytes");
    match range {
        None => {
            let mut response = base.header("Content-Length", len.to_string());
            if request.method == "GET" {
                response.body = bytes.clone();
            }
            response
        }
        Some((start, _)) if start >= len => Response::error(416, "InvalidRange"),
        Some((start, end)) => {
            let mut response = base
                .header("Content-Range", format!("bytes {start}-{end}/{len}"))
                .header("Content-Length", (end - start + 1).to_string());
            response.status = 206;
            if request.method == "GET" {
                response.body = bytes[start as usize..=end as usize].to_vec();
            }
            response
        }
    }
}
