//! `TIMInit` configuration (`json_sdk_config`).

use crate::json::json_object;

json_object! {
    /// SDK configuration. Tencent's keys, plus two of tim's own saying where the server is.
    pub struct SdkConfig {
        /// Data directory (UTF-8 path).
        config_file_path: String = SDK_CONFIG_CONFIG_FILE_PATH,
        /// Log directory (UTF-8 path).
        log_file_path: String = SDK_CONFIG_LOG_FILE_PATH,
        /// Deprecated Java VM pointer; ignored.
        java_vm: u64 = SDK_CONFIG_JAVA_VM,
        /// tim: the server's `host:port`.
        server_address: String = SDK_CONFIG_SERVER_ADDRESS,
        /// tim: how to trust the server's certificate: a PEM file path, or its SHA-256
        /// fingerprint.
        server_certificate: String = SDK_CONFIG_SERVER_CERTIFICATE,
    }
}
