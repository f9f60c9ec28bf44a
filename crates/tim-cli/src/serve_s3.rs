//! The `tim serve` flags of the S3-compatible blob store (`--blob-s3-*`). The keys come from
//! the environment (`TIM_S3_ACCESS_KEY`, `TIM_S3_SECRET_KEY`) so they never show on a command
//! line or in a process list. Without `--blob-s3-endpoint` and `--blob-s3-bucket`, media stay
//! in the data directory.

use crate::CliError;
use tim_server::blob::s3::S3Config;

/// The environment variable holding the S3 access key ID.
pub const ACCESS_KEY_ENV: &str = "TIM_S3_ACCESS_KEY";
/// The environment variable holding the S3 secret access key.
pub const SECRET_KEY_ENV: &str = "TIM_S3_SECRET_KEY";
/// The signing region unless told otherwise (what MinIO expects by default).
pub const DEFAULT_REGION: &str = "us-east-1";

/// The `--blob-s3-*` flags of `tim serve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BlobS3Args {
    /// Keep media in this S3-compatible store (e.g. http://127.0.0.1:9000 for MinIO) instead
    /// of the data directory; needs --blob-s3-bucket and the keys in TIM_S3_ACCESS_KEY and
    /// TIM_S3_SECRET_KEY.
    #[arg(long, value_name = "URL")]
    pub blob_s3_endpoint: Option<String>,
    /// The bucket (it must exist).
    #[arg(long, value_name = "NAME")]
    pub blob_s3_bucket: Option<String>,
    /// The signing region [default: us-east-1].
    #[arg(long, value_name = "REGION")]
    pub blob_s3_region: Option<String>,
    /// Path-style requests (<endpoint>/<bucket>/<key>), as MinIO needs.
    #[arg(long)]
    pub blob_s3_path_style: bool,
    /// A key prefix inside the bucket, e.g. tim/prod.
    #[arg(long, value_name = "PREFIX")]
    pub blob_s3_prefix: Option<String>,
}

impl BlobS3Args {
    /// The S3 configuration these flags and the process environment describe; `None` when no
    /// S3 flag is given.
    pub fn s3_config(&self) -> Result<Option<S3Config>, CliError> {
        self.s3_config_with(|name| std::env::var(name).ok())
    }

    /// As [`Self::s3_config`], reading variables through `env`.
    pub fn s3_config_with(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<S3Config>, CliError> {
        let any = self.blob_s3_endpoint.is_some()
            || self.blob_s3_bucket.is_some()
            || self.blob_s3_region.is_some()
            || self.blob_s3_prefix.is_some()
            || self.blob_s3_path_style;
        if !any {
            return Ok(None);
        }
        let endpoint = required(&self.blob_s3_endpoint, "--blob-s3-endpoint")?;
        let bucket = required(&self.blob_s3_bucket, "--blob-s3-bucket")?;
        let key = |name: &str| {
            env(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                CliError::usage(format!("the S3 blob store needs {name} in the environment"))
            })
        };
        Ok(Some(S3Config {
            endpoint,
            bucket,
            region: self
                .blob_s3_region
                .clone()
                .unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            access_key: key(ACCESS_KEY_ENV)?,
            secret_key: key(SECRET_KEY_ENV)?,
            path_style: self.blob_s3_path_style,
            prefix: self.blob_s3_prefix.clone().filter(|p| !p.is_empty()),
        }))
    }
}

fn required(value: &Option<String>, flag: &str) -> Result<String, CliError> {
    value
        .clone()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| CliError::usage(format!("the S3 blob store needs {flag}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cmd {
        #[command(flatten)]
        s3: BlobS3Args,
    }

    fn parse(args: &[&str]) -> BlobS3Args {
        Cmd::try_parse_from(std::iter::once("tim").chain(args.iter().copied()))
            .unwrap_or_else(|err| panic!("{err}"))
            .s3
    }

    fn env(name: &str) -> Option<String> {
        match name {
            ACCESS_KEY_ENV => Some("ak".to_owned()),
            SECRET_KEY_ENV => Some("sk".to_owned()),
            _ => None,
        }
    }

    #[test]
    fn no_s3_flag_means_no_s3_store() {
        let config = parse(&[])
            .s3_config_with(env)
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(config, None);
    }

    #[test]
    fn flags_and_environment_make_an_s3_config() {
        let args = parse(&[
            "--blob-s3-endpoint",
            "http://127.0.0.1:9000",
            "--blob-s3-bucket",
            "tim-media",
            "--blob-s3-path-style",
            "--blob-s3-prefix",
            "tim/prod",
        ]);
        let config = args
            .s3_config_with(env)
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|| panic!("no config"));
        assert_eq!(
            config,
            S3Config {
                endpoint: "http://127.0.0.1:9000".to_owned(),
                bucket: "tim-media".to_owned(),
                region: DEFAULT_REGION.to_owned(),
                access_key: "ak".to_owned(),
                secret_key: "sk".to_owned(),
                path_style: true,
                prefix: Some("tim/prod".to_owned()),
            }
        );
        let args = parse(&[
            "--blob-s3-endpoint",
            "https://s3.eu-west-1.amazonaws.com",
            "--blob-s3-bucket",
            "b",
            "--blob-s3-region",
            "eu-west-1",
        ]);
        let config = args
            .s3_config_with(env)
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|| panic!("no config"));
        assert_eq!(config.region, "eu-west-1");
        assert!(!config.path_style);
        assert_eq!(config.prefix, None);
    }

    #[test]
    fn an_incomplete_s3_setup_is_refused_with_a_reason() {
        let err = |args: &[&str], env: &dyn Fn(&str) -> Option<String>| {
            parse(args)
                .s3_config_with(env)
                .err()
                .map(|err| err.to_string())
                .unwrap_or_default()
        };
        let full = [
            "--blob-s3-endpoint",
            "http://h:9000",
            "--blob-s3-bucket",
            "b",
        ];
        assert!(err(&full[..2], &env).contains("--blob-s3-bucket"));
        assert!(err(&full[2..], &env).contains("--blob-s3-endpoint"));
        assert!(err(&["--blob-s3-path-style"], &env).contains("--blob-s3-endpoint"));
        assert!(err(&full, &|_| None).contains(ACCESS_KEY_ENV));
        let no_secret = |name: &str| (name == ACCESS_KEY_ENV).then(|| "ak".to_owned());
        assert!(err(&full, &no_secret).contains(SECRET_KEY_ENV));
        let empty = |_: &str| Some(String::new());
        assert!(err(&full, &empty).contains(ACCESS_KEY_ENV));
    }
}
